namespace Stoker.Silo.Admission;

/// <summary>
/// The admission webhooks' settings (section <c>Stoker:Admission</c>): the HTTPS endpoint the API server calls and
/// what the mutating webhook writes into gateway pods. Off by default, so local mode opens no port for them.
/// </summary>
public sealed class AdmissionOptions
{
    public const string SectionName = "Stoker:Admission";

    /// <summary>The original's environment variable for the fallback agent image (docs/kubernetes.md); the section wins.</summary>
    public const string DefaultAgentImageEnvironmentVariable = "DEFAULT_AGENT_IMAGE";

    /// <summary>The image of <c>deploy/agent.Dockerfile</c> as the docs build it, when nothing else names one.</summary>
    public const string BuiltInAgentImage = "stoker/agent:dev";

    public const int DefaultPort = 9443;

    /// <summary>
    /// Room for an AdmissionReview carrying an object and its old version, each up to the API server's own
    /// 1.5 MiB object limit.
    /// </summary>
    public const int DefaultMaxRequestBodyBytes = 4 << 20;

    public bool Enabled { get; set; }

    /// <summary>HTTPS port of the webhook endpoint (the Service's <c>targetPort</c>); 0 picks a free port.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>Address to listen on; unset listens on every interface.</summary>
    public string? BindAddress { get; set; }

    /// <summary>PEM certificate (chain) served to the API server, e.g. cert-manager's <c>tls.crt</c>; reloaded when it changes.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key of <see cref="CertificatePath"/>, e.g. <c>tls.key</c>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Larger AdmissionReview bodies are refused with 413 before they are parsed.</summary>
    public int MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    /// <summary>The silo's Orleans gateway as the injected agent reaches it (<c>SILO_ENDPOINTS</c>, host:port[,host:port]).</summary>
    public string? SiloEndpoints { get; set; }

    /// <summary>Agent image when neither the pod annotation nor <c>spec.agent.image</c> names one (or <c>DEFAULT_AGENT_IMAGE</c>).</summary>
    public string? DefaultAgentImage { get; set; }

    /// <summary>Audience of the projected service-account token the agent presents as its identity.</summary>
    public string TokenAudience { get; set; } = "stoker";

    /// <summary>Lifetime of that token; the kubelet rotates it at 80 %. Kubernetes' minimum is 600.</summary>
    public int TokenExpirationSeconds { get; set; } = 600;

    /// <summary><c>sizeLimit</c> of the agent's work volume (its clone, <c>REPO_PATH</c>).</summary>
    public string WorkVolumeSizeLimit { get; set; } = "1Gi";

    /// <summary><c>sizeLimit</c> of the agent's <c>/tmp</c> (its root filesystem is read-only).</summary>
    public string TmpVolumeSizeLimit { get; set; } = "64Mi";
}
