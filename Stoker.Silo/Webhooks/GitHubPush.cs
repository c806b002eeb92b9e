namespace Stoker.Silo.Webhooks;

/// <summary>What the receiver reads from a GitHub <c>push</c> event: the full ref name and the commit it now points at.</summary>
public sealed record GitHubPush(string Ref, string? After, bool Deleted)
{
    private const string Heads = "refs/heads/";
    private const string Tags = "refs/tags/";

    /// <summary>
    /// Whether the pushed ref is the one a resource follows: <c>spec.git.ref</c> given in full
    /// (<c>refs/heads/main</c>) or short (<c>main</c>) names the branch or tag that was pushed.
    /// </summary>
    public bool Updates(string specRef) =>
        specRef.Length > 0 && (Ref == specRef || Ref == Heads + specRef || Ref == Tags + specRef);
}
