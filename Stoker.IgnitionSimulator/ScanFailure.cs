namespace Stoker.IgnitionSimulator;

/// <summary>
/// Scans answer <see cref="StatusCode"/> instead of 200: for the next <see cref="Remaining"/> matching calls,
/// or for every call while <see cref="Remaining"/> is null.
/// </summary>
public sealed record ScanFailure(int StatusCode, int? Remaining, ScanTarget Target)
{
    public bool AppliesTo(ScanTarget endpoint) => Target == ScanTarget.Both || Target == endpoint;
}
