namespace Stoker.Silo.Authentication;

/// <summary>The Kubernetes reviewer in Kubernetes mode, null in local mode (so handlers need not probe the container).</summary>
public sealed class KubernetesApiReviewerAccessor(KubernetesApiReviewer? reviewer)
{
    public KubernetesApiReviewer? Reviewer { get; } = reviewer;
}
