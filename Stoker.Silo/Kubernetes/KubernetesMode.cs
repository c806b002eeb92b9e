namespace Stoker.Silo.Kubernetes;

/// <summary>Names the silo uses toward the Kubernetes API, in one place.</summary>
public static class KubernetesMode
{
    /// <summary>The field manager of every write, as the original operator's.</summary>
    public const string FieldManager = "stoker";

    /// <summary>The value of <see cref="Grains.Interfaces.Resources.Annotations.Source"/> on resources taken from the Kubernetes API.</summary>
    public const string SourceValue = "kubernetes";

    public const string PodNameVariable = "POD_NAME";
    public const string PodNamespaceVariable = "POD_NAMESPACE";
    public const string DefaultLeaseNamespace = "stoker-system";

    /// <summary>
    /// This silo's name toward the API server (the Lease's holder, Events' reporting instance): the configured
    /// <c>Stoker:Kubernetes:Identity</c>, else the pod's name, else the host name and process id.
    /// </summary>
    public static string SiloIdentity(StokerKubernetesOptions options) =>
        options.Identity is { Length: > 0 } id ? id
        : Environment.GetEnvironmentVariable(PodNameVariable) is { Length: > 0 } pod ? pod
        : $"{Environment.MachineName}-{Environment.ProcessId}";
}
