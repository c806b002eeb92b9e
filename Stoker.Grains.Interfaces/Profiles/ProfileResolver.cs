using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.Interfaces.Profiles;

/// <summary>Merges <c>spec.sync.defaults</c> into profiles and picks a gateway's profile (docs/resource-reference.md).</summary>
public static class ProfileResolver
{
    /// <summary>The profile a gateway gets when it asks for none.</summary>
    public const string DefaultProfileName = "default";

    /// <summary>Patterns the agent enforces whatever the resource says (docs/sync-engine.md).</summary>
    public static IReadOnlyList<string> AlwaysExcluded { get; } = ["**/.git/**", "**/.git", "**/.gitkeep", "**/.resources/**", "**/.resources"];

    /// <summary>Every profile, resolved, keyed and ordered by name (ordinal).</summary>
    public static IReadOnlyDictionary<string, ResolvedProfile> ResolveAll(SyncSpec sync)
    {
        var resolved = new SortedDictionary<string, ResolvedProfile>(StringComparer.Ordinal);
        foreach (var (name, profile) in sync.Profiles)
        {
            resolved[name] = Resolve(sync.Defaults, profile);
        }

        return resolved;
    }

    /// <summary>
    /// Merges one profile with the defaults. An absent <c>defaults</c> object resolves as if the CRD's defaults
    /// were present (docs/resource-reference.md), so a resource reads the same before and after the API server fills them.
    /// </summary>
    public static ResolvedProfile Resolve(SyncDefaults? defaults, SyncProfile profile)
    {
        defaults ??= new SyncDefaults();
        var vars = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in defaults.Vars ?? new Dictionary<string, string>())
        {
            vars[key] = value;
        }

        foreach (var (key, value) in profile.Vars ?? new Dictionary<string, string>())
        {
            vars[key] = value;
        }

        var syncPeriod = profile.SyncPeriod ?? defaults.SyncPeriod;
        var policy = string.IsNullOrEmpty(profile.DesignerSessionPolicy) ? defaults.DesignerSessionPolicy : profile.DesignerSessionPolicy;
        return new ResolvedProfile
        {
            Mappings = profile.Mappings,
            ExcludePatterns = MergeExcludes(defaults.ExcludePatterns, profile.ExcludePatterns ?? []),
            Vars = vars,
            SyncPeriod = syncPeriod == 0 ? SyncDefaults.DefaultSyncPeriod : syncPeriod,
            DryRun = profile.DryRun ?? defaults.DryRun ?? false,
            DesignerSessionPolicy = string.IsNullOrEmpty(policy) ? DesignerSessionPolicy.Proceed : policy,
            Paused = profile.Paused ?? defaults.Paused ?? false,
        };
    }

    /// <summary>
    /// Chooses the profile for a gateway: the one it names, or <c>default</c> when it names none (the documented
    /// behaviour; the original agent exited instead). A named profile that does not exist is an error, never
    /// silently replaced by <c>default</c>.
    /// </summary>
    public static ProfileSelection Select(SyncSpec sync, string? requested)
    {
        var name = SelectedName(requested);
        return sync.Profiles.TryGetValue(name, out var profile)
            ? new(name, Resolve(sync.Defaults, profile), null)
            : new(name, null, NotFound(requested, sync.Profiles.Keys));
    }

    /// <summary>The profile name a request selects: <c>default</c> when it names none, else the name trimmed.</summary>
    public static string SelectedName(string? requested) => string.IsNullOrWhiteSpace(requested) ? DefaultProfileName : requested.Trim();

    /// <summary>Why <paramref name="requested"/> selects none of <paramref name="known"/> (the gateway's profile error).</summary>
    public static string NotFound(string? requested, IEnumerable<string> known)
    {
        var names = string.Join(", ", known.Order(StringComparer.Ordinal).Select(k => $"\"{k}\""));
        return string.IsNullOrWhiteSpace(requested)
            ? $"no profile requested and the resource has no \"{DefaultProfileName}\" profile (profiles: {names}); set the gateway's profile"
            : $"profile \"{SelectedName(requested)}\" not found (profiles: {names})";
    }

    private static List<string> MergeExcludes(IEnumerable<string> defaults, IEnumerable<string> profile)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return defaults.Concat(profile).Concat(AlwaysExcluded)
            .Select(p => p.Trim())
            .Where(p => p.Length > 0 && seen.Add(p))
            .ToList();
    }
}
