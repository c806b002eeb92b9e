using System.Text.Json.Nodes;

namespace Stoker.Tests.Kubernetes.Rbac;

/// <summary>
/// One rule of a ClusterRole or Role granted to a service account: what it allows, where. <see cref="Namespace"/> is
/// null for a ClusterRole bound by a ClusterRoleBinding (every namespace and cluster-scoped requests), else the
/// Role's namespace. Resources are written as in RBAC: <c>gatewaysyncs</c>, <c>gatewaysyncs/status</c>.
/// </summary>
internal sealed record RbacRule(string Role, string? Namespace, IReadOnlyList<string> ApiGroups, IReadOnlyList<string> Resources, IReadOnlyList<string> Verbs, IReadOnlyList<string> ResourceNames)
{
    /// <summary>The (resource, verb) pairs this rule grants, each of which some request must use.</summary>
    public IEnumerable<(string Resource, string Verb)> Grants => Resources.SelectMany(r => Verbs.Select(v => (r, v)));

    public string Describe(string resource, string verb) =>
        $"{Role}{(Namespace is null ? "" : " in " + Namespace)}: {verb} {(ApiGroups.Count == 1 && ApiGroups[0].Length > 0 ? ApiGroups[0] + "/" : "")}{resource}";

    /// <summary>Whether the rule lets <paramref name="request"/> through, as the RBAC authorizer decides it.</summary>
    public bool Allows(RbacRequest request, string resource, string verb) =>
        (Namespace is null || Namespace == request.Namespace)
        && (ApiGroups.Contains("*") || ApiGroups.Contains(request.Group))
        && (resource == "*" || resource == request.Resource)
        && (verb == "*" || verb == request.Verb)
        && (ResourceNames.Count == 0 || (request.Name is not null && ResourceNames.Contains(request.Name)));

    /// <summary>
    /// The rules <c>kubectl kustomize</c> output grants the service account <paramref name="serviceAccount"/> of
    /// <paramref name="ns"/>: ClusterRoles through ClusterRoleBindings (everywhere) or RoleBindings (in that
    /// namespace), Roles through RoleBindings.
    /// </summary>
    public static IReadOnlyList<RbacRule> Granted(ManifestSet manifests, string ns, string serviceAccount)
    {
        var rules = new List<RbacRule>();
        foreach (var binding in manifests.Objects.Where(o => o.Kind is "ClusterRoleBinding" or "RoleBinding"))
        {
            var subjects = (binding.Node["subjects"] as JsonArray ?? []).OfType<JsonObject>();
            if (!subjects.Any(s => ManifestObject.Str(s["kind"]) == "ServiceAccount" && ManifestObject.Str(s["name"]) == serviceAccount && ManifestObject.Str(s["namespace"]) == ns))
            {
                continue;
            }

            var roleKind = ManifestObject.Str(binding.Node["roleRef"]!["kind"])!;
            var roleName = ManifestObject.Str(binding.Node["roleRef"]!["name"])!;
            var role = manifests.Find(roleKind, roleKind == "Role" ? binding.Namespace : null, roleName)
                ?? throw new InvalidOperationException($"{binding.Where}: roleRef {roleKind} {roleName} is not in the manifests");
            var scope = binding.Kind == "ClusterRoleBinding" ? null : binding.Namespace;
            foreach (var rule in (role.Node["rules"] as JsonArray ?? []).OfType<JsonObject>())
            {
                rules.Add(new RbacRule($"{roleKind} {roleName}", scope, Strings(rule["apiGroups"]), Strings(rule["resources"]), Strings(rule["verbs"]), Strings(rule["resourceNames"])));
            }
        }

        return rules;
    }

    private static List<string> Strings(JsonNode? node) => node is JsonArray list ? [.. list.Select(n => ManifestObject.Str(n)!)] : [];
}
