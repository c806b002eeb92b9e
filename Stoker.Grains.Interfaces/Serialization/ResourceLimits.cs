using System.Globalization;
using System.Text.Json.Nodes;

namespace Stoker.Grains.Interfaces.Serialization;

/// <summary>
/// Bounds on reading resource text, enforced in one place, <see cref="YamlJson.ReadAll"/>, which every entry point
/// that reads a resource goes through: the apply API (YAML and JSON bodies alike), the manifests folder,
/// <c>stoker apply -f</c> and <c>stoker-agent sync --resource</c>. A text over a bound is refused as malformed
/// (400 / exit 2) naming the bound; docs/security.md lists them.
/// </summary>
public static class ResourceLimits
{
    /// <summary>
    /// The deepest nesting of mappings and sequences, the outermost being level 1. A GatewaySync needs about ten;
    /// reading, cloning and rendering trees are recursive, and System.Text.Json refuses to write past 64 levels by
    /// default, so a tree within this bound can be handled everywhere without a stack overflow or a throw.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// The most values (scalars, mappings, sequences and mapping keys) one text may produce, counting each value an
    /// alias copies: aliases are allowed (a profile may reuse another's mappings) but cannot make a few hundred bytes
    /// expand into gigabytes. Shared by every document of a stream, so many small expansions add up. A GatewaySync
    /// has a few hundred values; a manifests file holding a thousand of them stays well within the bound.
    /// </summary>
    public const int MaxValues = 100_000;

    /// <summary>The longest text read, in characters: the same 3 MiB the apply API takes (and the API server takes).</summary>
    public const int MaxTextLength = 3 * 1024 * 1024;

    /// <summary>
    /// The most documents one text may hold, empty ones included: a manifests file of a plant's resources has tens;
    /// beyond this a stream of <c>---</c> lines only costs the reader work.
    /// </summary>
    public const int MaxDocuments = 1000;

    /// <summary>
    /// The longest scalar (a value or a mapping key), in characters. Kubernetes caps all the annotations of an object
    /// together at 256 KiB; nothing in a GatewaySync needs a longer string, and a shorter bound keeps a single value
    /// from filling logs, statuses and events.
    /// </summary>
    public const int MaxStringLength = 256 * 1024;

    /// <summary>
    /// True when <paramref name="node"/> nests deeper than <see cref="MaxDepth"/>: for trees that did not come from
    /// <see cref="YamlJson.ReadAll"/>. Measured with an explicit stack, so any depth is safe to measure.
    /// </summary>
    public static bool IsTooDeep(JsonNode? node)
    {
        var pending = new Stack<(JsonNode Node, int Level)>();
        if (node is JsonObject or JsonArray)
        {
            pending.Push((node, 1));
        }

        while (pending.TryPop(out var item))
        {
            if (item.Level > MaxDepth)
            {
                return true;
            }

            var children = item.Node is JsonObject obj ? obj.Select(p => p.Value) : item.Node.AsArray();
            foreach (var child in children)
            {
                if (child is JsonObject or JsonArray)
                {
                    pending.Push((child, item.Level + 1));
                }
            }
        }

        return false;
    }

    /// <summary>The rule a tree nested beyond <see cref="MaxDepth"/> breaks, as every reader words it.</summary>
    public static string DepthRule { get; } = string.Create(CultureInfo.InvariantCulture,
        $"nested deeper than {MaxDepth} levels of mappings and sequences (the limit for a resource)");
}
