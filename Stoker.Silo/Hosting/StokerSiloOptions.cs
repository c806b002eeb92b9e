namespace Stoker.Silo.Hosting;

/// <summary>The silo's own settings (section <c>Stoker:Silo</c>; environment <c>Stoker__Silo__SiloPort</c> …).</summary>
public sealed class StokerSiloOptions
{
    public const string SectionName = "Stoker:Silo";

    /// <summary>Local or Kubernetes; unset chooses by environment (see <see cref="Kubernetes.SiloModeResolver"/>).</summary>
    public Kubernetes.SiloMode? Mode { get; set; }

    public string ClusterId { get; set; } = "stoker";

    public string ServiceId { get; set; } = "stoker";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port agents (Orleans clients) connect to.</summary>
    public int GatewayPort { get; set; } = 30000;

    public const int DefaultHttpsPort = 8443;

    /// <summary>
    /// HTTPS for the HTTP API (kubectl sends tokens only over TLS) on the same addresses as the HTTP port, with the
    /// silo's certificate (<see cref="Tls"/>); 0 turns it off (docs/kubectl.md, "HTTPS").
    /// </summary>
    public int HttpsPort { get; set; } = DefaultHttpsPort;

    /// <summary>The address other silos and agents reach this silo on; loopback by default (local mode).</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>
    /// The state folder (CA and silo certificate, agent-token signing key, loopback admin token); unset is
    /// <see cref="Stoker.Grains.Interfaces.Security.StokerStateFolder.Default"/>.
    /// </summary>
    public string? StatePath { get; set; }

    /// <summary>The state folder in effect: <see cref="StatePath"/> or the default the command-line tools also use.</summary>
    public string EffectiveStatePath => StatePath is { Length: > 0 } path ? path : Stoker.Grains.Interfaces.Security.StokerStateFolder.Default;

    /// <summary>
    /// The silo's certificate, key and CA for TLS on the Orleans ports (<c>Stoker:Silo:Tls:CertificateFile</c>, …);
    /// none set: the state folder's private CA (docs/security.md, "Transport (TLS)").
    /// </summary>
    public Transport.SiloTlsOptions Tls { get; set; } = new();

    /// <summary>
    /// Agents may connect to the gateway port over plain TCP instead of TLS: an explicit opt-in, warned about at start
    /// and shown in <c>/readyz</c>. Silo-to-silo connections use TLS regardless.
    /// </summary>
    public bool AllowInsecureAgents { get; set; }

    /// <summary>Local-mode Secrets folder (<c>{path}/{namespace}/{name}/{key}</c>); unset skips Secret checks.</summary>
    public string? SecretsPath { get; set; }

    /// <summary>How long an agent subscription lives without renewal (agents renew at a third of it).</summary>
    public TimeSpan AgentSessionExpiry { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The shortest reminder period; shorter polling intervals run on grain timers.</summary>
    public TimeSpan MinimumReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
