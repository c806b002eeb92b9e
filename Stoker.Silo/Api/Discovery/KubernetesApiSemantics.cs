using System.Reflection;

namespace Stoker.Silo.Api.Discovery;

/// <summary>
/// Which Kubernetes API the silo's HTTP API speaks (docs/kubectl-reads.md): the version kubectl sees in
/// <c>/version</c> and in the OpenAPI documents' info, so version-skew checks and caches behave as with a cluster.
/// </summary>
public static class KubernetesApiSemantics
{
    public const string Major = "1";

    /// <summary>The Kubernetes minor whose list, watch, Table and discovery behaviour the silo follows.</summary>
    public const string Minor = "33";

    /// <summary>Stoker's own version (the silo assembly's informational version, without a source-revision suffix).</summary>
    public static string StokerVersion { get; } = ReadStokerVersion();

    /// <summary><c>v1.33.0+stoker.VERSION</c>: a semver build suffix, as distributions mark their builds.</summary>
    public static string GitVersion { get; } = $"v{Major}.{Minor}.0+stoker.{StokerVersion}";

    private static string ReadStokerVersion()
    {
        var version = typeof(KubernetesApiSemantics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
