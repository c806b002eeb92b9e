namespace Stoker.Silo.Admission;

/// <summary>A Kubernetes <c>GroupVersionKind</c> (the core group is the empty string).</summary>
public sealed record GroupVersionKind(string? Group, string? Version, string? Kind);
