namespace Stoker.Tests.Infrastructure;

/// <summary>How a test starts a <see cref="SiloProcess"/>.</summary>
public sealed record SiloProcessSettings
{
    /// <summary>Names the silo in diagnostics and prefixes its generated cluster id.</summary>
    public string Name { get; init; } = "silo";

    /// <summary>
    /// The silo's settings (<c>Stoker__…</c>) and any other environment it gets. They win over the generated cluster
    /// and service ids, never over the ports: <see cref="SiloProcess"/> owns those so a restart finds them again.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The program's arguments; the value of <c>--urls</c> is replaced (or the option added) with the silo's HTTP port.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The Orleans cluster id; by default <c>{Name}-{8 random hex digits}</c>.</summary>
    public string? ClusterId { get; init; }

    /// <summary>The Orleans service id; by default the cluster id.</summary>
    public string? ServiceId { get; init; }

    /// <summary>How long a start (or restart) may take to answer <c>/healthz</c> with 200.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Serve the HTTPS port too (<c>Stoker:Silo:HttpsPort</c> on <see cref="SiloProcess.HttpsPort"/>, the state folder's
    /// silo certificate): kubectl sends a bearer token only over HTTPS (docs/kubectl.md).
    /// </summary>
    public bool Https { get; init; }

    /// <summary>The timeout of <see cref="SiloProcess.Http"/>.</summary>
    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
