namespace Stoker.IgnitionSimulator;

/// <summary>
/// One request the simulated gateway received, in arrival order. <see cref="Authorized"/> tells whether the
/// request carried the configured API token; <see cref="Status"/> is null while the request is still being
/// answered, or when the client went away before the answer (a slow gateway the client timed out on).
/// </summary>
public sealed record RecordedCall(long Sequence, string Method, string Path, DateTimeOffset Time, bool Authorized, int? Status);
