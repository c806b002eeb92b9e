namespace Stoker.Tests.Kubernetes.Rbac;

/// <summary>
/// Compares the requests a component sent with the rules it is granted: every request must be allowed by some rule
/// (else the API server would answer 403), and every (resource, verb) a rule grants must be used by some request or
/// named in an allowance (else it is privilege nobody needs).
/// </summary>
internal static class RbacCheck
{
    public static RbacReport Run(IEnumerable<RbacRequest?> requests, IReadOnlyList<RbacRule> rules, IEnumerable<RbacAllowance> allowances)
    {
        var seen = requests.ToList();
        var denied = new List<string>();
        var used = new HashSet<(RbacRule, string, string)>();
        foreach (var request in seen)
        {
            if (request is null)
            {
                denied.Add("a non-resource URL (discovery, /version): not granted by these roles");
                continue;
            }

            var allowing = rules.SelectMany(r => r.Grants.Where(g => r.Allows(request, g.Resource, g.Verb)).Select(g => (r, g.Resource, g.Verb))).ToList();
            if (allowing.Count == 0)
            {
                denied.Add(request.ToString());
            }

            used.UnionWith(allowing);
        }

        var allowed = allowances.ToList();
        var unused = rules.SelectMany(r => r.Grants.Select(g => (r, g.Resource, g.Verb)))
            .Where(g => !used.Contains(g))
            .Where(g => !allowed.Any(a => g.r.ApiGroups.Contains(a.Group) && a.Resource == g.Resource && a.Verb == g.Verb))
            .Select(g => g.r.Describe(g.Resource, g.Verb))
            .ToList();
        var unneeded = allowed
            .Where(a => used.Any(u => u.Item1.ApiGroups.Contains(a.Group) && u.Item2 == a.Resource && u.Item3 == a.Verb))
            .Select(a => $"{a.Verb} {a.Group}/{a.Resource}: used by a scenario now, remove its allowance ({a.Reason})")
            .ToList();
        return new RbacReport([.. denied.Distinct(StringComparer.Ordinal)], unused, unneeded, seen.Count);
    }
}

/// <summary>What <see cref="RbacCheck"/> found.</summary>
internal sealed record RbacReport(IReadOnlyList<string> Denied, IReadOnlyList<string> Unused, IReadOnlyList<string> NeedlessAllowances, int Requests)
{
    public bool Exact => Denied.Count == 0 && Unused.Count == 0 && NeedlessAllowances.Count == 0;

    public override string ToString() =>
        $"{Requests} requests checked\n"
        + (Denied.Count == 0 ? "" : "requests no rule allows:\n  " + string.Join("\n  ", Denied) + "\n")
        + (Unused.Count == 0 ? "" : "grants no request used:\n  " + string.Join("\n  ", Unused) + "\n")
        + (NeedlessAllowances.Count == 0 ? "" : string.Join("\n", NeedlessAllowances));
}
