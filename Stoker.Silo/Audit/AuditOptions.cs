namespace Stoker.Silo.Audit;

/// <summary>The audit log (section <c>Stoker:Audit</c>, docs/security.md "Audit log").</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Stoker:Audit";

    /// <summary>The value of <see cref="Path"/> that writes records to standard output instead of a file.</summary>
    public const string StandardOutput = "-";

    public const string DefaultFileName = "audit.log";

    /// <summary>Null: on in local mode (the silo is the API server its users talk to), off in Kubernetes mode (the cluster's API server audits resources) unless <see cref="Path"/> is set.</summary>
    public bool? Enabled { get; set; }

    /// <summary>The file (made 0600), or <see cref="StandardOutput"/>; null: <c>{state folder}/audit.log</c>.</summary>
    public string? Path { get; set; }

    /// <summary>The file is renamed to <c>.1</c> (older ones shifted) before a record would take it past this size.</summary>
    public long MaxFileBytes { get; set; } = 10L << 20;

    /// <summary>How many renamed files are kept besides the current one; older ones are deleted.</summary>
    public int MaxFiles { get; set; } = 5;
}
