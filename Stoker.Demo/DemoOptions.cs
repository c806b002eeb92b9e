namespace Stoker.Demo;

/// <summary>How one demo run goes: attended or not, which state store, and where things are.</summary>
public sealed record DemoOptions
{
    /// <summary>Run the scripted tour unattended and exit (0, or non-zero with the reason) instead of waiting for Ctrl-C.</summary>
    public bool NonInteractive { get; init; }

    /// <summary>Keep the silo's state in PostgreSQL started from the machine's binaries instead of in memory.</summary>
    public bool Postgres { get; init; }

    /// <summary>The Stoker checkout (holds demo/).</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>The published programs: silo/, agent/, simulator/, cli/ (deploy/publish.sh).</summary>
    public required string PublishDirectory { get; init; }

    /// <summary>The run's folder: git repository, gateways' data, agents' work folders, logs. Emptied at start.</summary>
    public required string WorkDirectory { get; init; }
}
