namespace Stoker.Tests.FakeKubeApi;

/// <summary>Who a registered bearer token stands for, as a TokenReview reports it.</summary>
/// <param name="Username">For a service account, <c>system:serviceaccount:NAMESPACE:NAME</c>.</param>
/// <param name="Audiences">Audiences the token was issued for; a review asking for none of them fails.</param>
/// <param name="Extra">Extra attributes, e.g. <c>authentication.kubernetes.io/pod-name</c>.</param>
/// <param name="ExpiresAt">After this instant (by the server's clock) the token no longer authenticates.</param>
public sealed record TokenIdentity(
    string Username,
    IReadOnlyList<string> Audiences,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Extra,
    string? Uid = null,
    IReadOnlyList<string>? Groups = null,
    DateTimeOffset? ExpiresAt = null)
{
    /// <summary>The audience the API server itself accepts when a review names none.</summary>
    public const string ApiServerAudience = "https://kubernetes.default.svc.cluster.local";

    /// <summary>A projected service-account token of a pod, as the kubelet would mount it.</summary>
    /// <param name="podUid">The bound pod's uid (a stored pod's <c>metadata.uid</c>); null draws one, for a pod the fake does not hold.</param>
    public static TokenIdentity ForPod(string ns, string serviceAccount, string podName, IReadOnlyList<string> audiences, DateTimeOffset? expiresAt = null, string? podUid = null) => new(
        $"system:serviceaccount:{ns}:{serviceAccount}",
        audiences,
        new Dictionary<string, IReadOnlyList<string>>
        {
            ["authentication.kubernetes.io/pod-name"] = [podName],
            ["authentication.kubernetes.io/pod-uid"] = [podUid ?? Guid.NewGuid().ToString()],
        },
        Guid.NewGuid().ToString(),
        ["system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated"],
        expiresAt);
}
