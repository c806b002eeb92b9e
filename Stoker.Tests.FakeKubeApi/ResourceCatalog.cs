namespace Stoker.Tests.FakeKubeApi;

/// <summary>The resources the fake serves. Tokenreviews and subjectaccessreviews are handled apart (they are never stored).</summary>
public static class ResourceCatalog
{
    private static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public static readonly ResourceType GatewaySyncs = new("stoker.io", "v1alpha1", "gatewaysyncs", "GatewaySync", Namespaced: true, HasStatus: true, IsCustom: true, ["gs"], AllVerbs);

    public static readonly ResourceType Pods = new(string.Empty, "v1", "pods", "Pod", Namespaced: true, HasStatus: true, IsCustom: false, ["po"], AllVerbs);

    public static readonly ResourceType Events = new(string.Empty, "v1", "events", "Event", Namespaced: true, HasStatus: false, IsCustom: false, ["ev"], AllVerbs);

    /// <summary>Core Secrets: <c>stringData</c> is folded into base64 <c>data</c> on every write, as the API server does (<see cref="SecretData"/>).</summary>
    public static readonly ResourceType Secrets = new(string.Empty, "v1", "secrets", "Secret", Namespaced: true, HasStatus: false, IsCustom: false, [], AllVerbs);

    public static readonly ResourceType Namespaces = new(string.Empty, "v1", "namespaces", "Namespace", Namespaced: false, HasStatus: true, IsCustom: false, ["ns"], ["create", "delete", "get", "list", "patch", "update", "watch"]);

    public static readonly ResourceType EventsV1 = new("events.k8s.io", "v1", "events", "Event", Namespaced: true, HasStatus: false, IsCustom: false, ["ev"], AllVerbs);

    public static readonly ResourceType Leases = new("coordination.k8s.io", "v1", "leases", "Lease", Namespaced: true, HasStatus: false, IsCustom: false, [], AllVerbs);

    public static readonly ResourceType CustomResourceDefinitions = new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", Namespaced: false, HasStatus: true, IsCustom: false, ["crd", "crds"], AllVerbs);

    /// <summary>Not stored: POST returns the review with its status filled in from registered tokens.</summary>
    public static readonly ResourceType TokenReviews = new("authentication.k8s.io", "v1", "tokenreviews", "TokenReview", Namespaced: false, HasStatus: false, IsCustom: false, [], ["create"]);

    /// <summary>Not stored: POST returns the review with <c>status.allowed</c> decided by the granted <see cref="AccessRule"/>s.</summary>
    public static readonly ResourceType SubjectAccessReviews = new("authorization.k8s.io", "v1", "subjectaccessreviews", "SubjectAccessReview", Namespaced: false, HasStatus: false, IsCustom: false, [], ["create"]);

    public static IReadOnlyList<ResourceType> All { get; } =
        [GatewaySyncs, Pods, Events, Secrets, Namespaces, EventsV1, Leases, CustomResourceDefinitions, TokenReviews, SubjectAccessReviews];

    public static ResourceType? Find(string group, string version, string plural) =>
        All.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural);
}
