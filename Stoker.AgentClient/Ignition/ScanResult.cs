namespace Stoker.AgentClient.Ignition;

/// <summary>
/// The outcome of asking the gateway to rescan: the HTTP status of <c>scan/projects</c> and <c>scan/config</c>, or the
/// error that stopped the scan. <see cref="ToString"/> is the report's <c>lastScanResult</c>:
/// <c>projects=200 config=200</c>, or <c>error: scan/projects: after 3 retries: HTTP 500</c>.
/// </summary>
public sealed record ScanResult(int? ProjectsStatus, int? ConfigStatus, string? Error)
{
    /// <summary>Both scans answered 2xx: the only outcome that may be reported as <c>Synced</c>.</summary>
    public bool Succeeded => Error is null && IsSuccess(ProjectsStatus) && IsSuccess(ConfigStatus);

    public static ScanResult Success(int projectsStatus, int configStatus) => new(projectsStatus, configStatus, null);

    public override string ToString() => Error is null ? $"projects={ProjectsStatus} config={ConfigStatus}" : $"error: {Error}";

    private static bool IsSuccess(int? status) => status is >= 200 and < 300;
}
