using Stoker.Grains.Interfaces.Git;

namespace Stoker.Grains.Git;

/// <param name="RepoUrl">Local path, <c>file://</c>, <c>http(s)://</c>, <c>git://</c>, <c>ssh://</c> or scp-like <c>user@host:path</c>.</param>
/// <param name="Ref">Branch, tag, <c>refs/heads/…</c>, <c>refs/tags/…</c> or a full 40-hex commit SHA.</param>
public sealed record RefResolveRequest(string RepoUrl, string Ref, GitCredentials? Credentials)
{
    /// <summary>More refs to look up in the same listing (per-gateway ref overrides); one missing does not fail the request.</summary>
    public IReadOnlyList<string> OtherRefs { get; init; } = [];

    // The URL may carry user:password@; the credentials redact themselves.
    public override string ToString() =>
        $"RefResolveRequest {{ RepoUrl = {UrlRedactor.Redact(RepoUrl)}, Ref = {Ref}, Credentials = {Credentials?.ToString() ?? "none"} }}";
}
