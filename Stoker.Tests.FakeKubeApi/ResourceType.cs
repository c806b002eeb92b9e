namespace Stoker.Tests.FakeKubeApi;

/// <summary>One kind of object the fake serves, as its discovery document describes it.</summary>
/// <param name="Group">API group; empty for the core group (<c>/api/v1</c>).</param>
/// <param name="Version">API version inside the group.</param>
/// <param name="Plural">Resource name in URLs.</param>
/// <param name="Kind">Kind of a single object; its list kind is <c>Kind + "List"</c>.</param>
/// <param name="Namespaced">Whether objects live in namespaces.</param>
/// <param name="HasStatus">Whether a <c>/status</c> subresource exists: then main-resource writes keep the stored status and status writes change nothing else.</param>
/// <param name="IsCustom">Custom resources get <c>metadata.generation</c>, bumped on spec changes and when deletion starts.</param>
/// <param name="ShortNames">Short names for kubectl.</param>
/// <param name="Verbs">Verbs listed in discovery.</param>
public sealed record ResourceType(
    string Group,
    string Version,
    string Plural,
    string Kind,
    bool Namespaced,
    bool HasStatus,
    bool IsCustom,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Verbs)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The name Kubernetes uses in error messages, e.g. <c>gatewaysyncs.stoker.io</c> or <c>pods</c>.</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string Singular => Kind.ToLowerInvariant();
}
