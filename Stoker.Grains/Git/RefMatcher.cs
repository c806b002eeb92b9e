using System.Text.RegularExpressions;

namespace Stoker.Grains.Git;

/// <summary>Picks the commit a requested ref names from a remote's reference advertisement (control-plane §3.4).</summary>
public static partial class RefMatcher
{
    private const string PeeledSuffix = "^{}";

    public static bool IsFullSha(string value) => FullSha().IsMatch(value);

    /// <summary>
    /// Candidates: <c>refs/tags/&lt;ref&gt;</c>, then <c>refs/heads/&lt;ref&gt;</c>; a fully qualified
    /// <c>refs/heads/…</c> or <c>refs/tags/…</c> is looked up as given (a departure from the original, which refused
    /// it). Candidates are tried against the peeled <c>^{}</c> entries first, so an annotated tag yields its commit
    /// and a tag shadows a same-named branch.
    /// </summary>
    /// <returns>The lower-case commit SHA, or null when nothing matches. A full SHA is returned as-is.</returns>
    public static string? Match(string requestedRef, IEnumerable<KeyValuePair<string, string>> advertisement)
    {
        ArgumentNullException.ThrowIfNull(requestedRef);
        ArgumentNullException.ThrowIfNull(advertisement);
        if (IsFullSha(requestedRef))
        {
            return requestedRef.ToLowerInvariant();
        }

        var peeled = new Dictionary<string, string>(StringComparer.Ordinal);
        var plain = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, target) in advertisement)
        {
            if (name.EndsWith(PeeledSuffix, StringComparison.Ordinal))
            {
                peeled.TryAdd(name[..^PeeledSuffix.Length], target);
            }
            else
            {
                plain.TryAdd(name, target);
            }
        }

        var candidates = Candidates(requestedRef);
        foreach (var map in (Dictionary<string, string>[])[peeled, plain])
        {
            foreach (var candidate in candidates)
            {
                if (map.TryGetValue(candidate, out var commit))
                {
                    return commit.ToLowerInvariant();
                }
            }
        }

        return null;
    }

    private static string[] Candidates(string requestedRef)
    {
        var qualified = requestedRef.StartsWith("refs/heads/", StringComparison.Ordinal) ||
                        requestedRef.StartsWith("refs/tags/", StringComparison.Ordinal);
        return qualified
            ? [requestedRef]
            : [$"refs/tags/{requestedRef}", $"refs/heads/{requestedRef}"];
    }

    [GeneratedRegex("^[0-9a-fA-F]{40}$")]
    private static partial Regex FullSha();
}
