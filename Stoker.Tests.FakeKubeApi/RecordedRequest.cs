namespace Stoker.Tests.FakeKubeApi;

/// <summary>
/// One request as the fake understood it, for tests that count writes or compare what a component does
/// with the RBAC rules it is given (<see cref="Verb"/>, <see cref="Group"/>, <see cref="Resource"/>, <see cref="Subresource"/>).
/// </summary>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string Query,
    string Verb,
    string? Group,
    string? Resource,
    string? Subresource,
    string? Namespace,
    string? Name,
    string? ContentType,
    string? FieldManager,
    int StatusCode)
{
    /// <summary>Who sent it: the bearer token, so a test can tell a component's requests from its own.</summary>
    public string? BearerToken { get; init; }

    public override string ToString() =>
        $"{Method} {Path}{Query} -> {StatusCode} ({Verb} {Resource}{(Subresource is null ? string.Empty : "/" + Subresource)})";
}
