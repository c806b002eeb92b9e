namespace Stoker.Tests.FakeKubeApi;

/// <summary>
/// One grant the fake's authorizer holds, RBAC-like: a subject (a user name or a group; <c>*</c> for anyone) may use a
/// verb on a resource (group, resource, optional namespace and name) or, with <see cref="Path"/>, on a non-resource URL.
/// <c>*</c> matches anything in every field; a null namespace or name matches any.
/// </summary>
public sealed record AccessRule(string Subject, string Verb, string Group = "", string Resource = "", string? Namespace = null, string? Name = null, string? Path = null)
{
    public bool IsNonResource => Path is not null;

    public bool Matches(string user, IReadOnlyCollection<string> groups, string verb, string group, string resource, string? ns, string? name) =>
        !IsNonResource && Subject_(user, groups) && Field(Verb, verb) && Field(Group, group) && Field(Resource, resource)
        && (Namespace is null || Field(Namespace, ns ?? "")) && (Name is null || Field(Name, name ?? ""));

    public bool MatchesPath(string user, IReadOnlyCollection<string> groups, string verb, string path) =>
        IsNonResource && Subject_(user, groups) && Field(Verb, verb)
        && (Path == "*" || Path == path || (Path!.EndsWith('*') && path.StartsWith(Path[..^1], StringComparison.Ordinal)));

    private bool Subject_(string user, IReadOnlyCollection<string> groups) => Subject == "*" || Subject == user || groups.Contains(Subject);

    private static bool Field(string rule, string value) => rule == "*" || rule == value;
}
