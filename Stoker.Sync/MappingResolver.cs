using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Templating;

namespace Stoker.Sync;

/// <summary>
/// Plan building (docs/sync-engine.md): renders each mapping's paths, validates them, and infers or checks its type
/// against the commit. A missing source fails the sync only when the mapping is <c>required</c>; otherwise the
/// mapping is skipped and reported (the documented behaviour, which the issue chose over the original's
/// failure). Symlink and submodule sources are never followed, so they are treated like missing ones.
/// </summary>
internal static class MappingResolver
{
    public static List<PlannedMapping> Resolve(
        IReadOnlyList<Mapping> mappings,
        ISourceTree tree,
        TemplateContext context,
        TemplateObject data,
        ICollection<SkippedSource> skipped)
    {
        var contextKey = ContextKey(context);
        var planned = new List<PlannedMapping>(mappings.Count);
        for (var i = 0; i < mappings.Count; i++)
        {
            planned.Add(ResolveOne(i, mappings[i], tree, contextKey, data, skipped));
        }

        return planned;
    }

    private static PlannedMapping ResolveOne(int i, Mapping mapping, ISourceTree tree, string contextKey, TemplateObject data, ICollection<SkippedSource> skipped)
    {
        var source = SyncPaths.ValidateRendered($"mapping[{i}].source", RenderPath($"mapping[{i}].source", mapping.Source, data));
        var destination = SyncPaths.ValidateRendered($"mapping[{i}].destination", RenderPath($"mapping[{i}].destination", mapping.Destination, data));
        var patches = mapping.Patches ?? [];
        for (var j = 0; j < patches.Count; j++)
        {
            ValidatePatchGlob($"mapping[{i}].patches[{j}].file", patches[j].File);
        }

        var template = mapping.Template == true;
        var required = mapping.Required == true;
        var entry = tree.Find(source);
        string? problem = entry switch
        {
            null => "does not exist",
            _ when entry.Path != source => $"is inside {Describe(entry.Kind)} {SyncPaths.Quote(entry.Path)}, which is never followed",
            { Kind: SourceEntryKind.Symlink or SourceEntryKind.Submodule } => $"is {Describe(entry.Kind)}, which is never followed",
            _ => null,
        };
        if (problem is not null)
        {
            if (required)
            {
                throw new SyncException(entry is null
                    ? $"mapping[{i}]: required source does not exist: {mapping.Source}"
                    : $"mapping[{i}]: required source {SyncPaths.Quote(source)} {problem}");
            }

            skipped.Add(new SkippedSource(source, destination, $"mapping[{i}] source {problem}; the mapping is not required, so it was skipped"));
            return new PlannedMapping(i, source, destination, mapping.Type ?? MappingType.Dir, template, patches, "", Skipped: true);
        }

        var actual = entry!.Kind == SourceEntryKind.Directory ? MappingType.Dir : MappingType.File;
        if (!string.IsNullOrEmpty(mapping.Type) && mapping.Type != actual)
        {
            throw new SyncException($"mapping[{i}]: type mismatch: spec says \"{mapping.Type}\" but {SyncPaths.Quote(source)} is a {actual}");
        }

        if (actual == MappingType.File && destination.Length == 0)
        {
            throw new SyncException($"mapping[{i}].destination: a file mapping needs a file path, not the data directory itself: {mapping.Destination}");
        }

        var renderKey = template || patches.Count > 0 ? RenderKey(template, patches, source, destination, actual, contextKey) : "";
        return new PlannedMapping(i, source, destination, actual, template, patches, renderKey, Skipped: false);
    }

    private static string RenderPath(string field, string text, TemplateObject data)
    {
        try
        {
            return GoTemplate.RenderString(text, field, data);
        }
        catch (Exception e) when (e is TemplateParseException or TemplateExecutionException)
        {
            throw new SyncException($"{field}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Patch globs are only ever matched against paths inside the mapping, never opened, so <c>..</c> could not
    /// reach outside; it is refused anyway because it can only be a mistake or a probe.
    /// </summary>
    private static void ValidatePatchGlob(string field, string? glob)
    {
        if (string.IsNullOrEmpty(glob))
        {
            return;
        }

        if (glob.StartsWith('/'))
        {
            throw new SyncException($"{field}: absolute path not allowed: {glob}");
        }

        if (glob.Split('/').Contains(".."))
        {
            throw new SyncException($"{field}: path traversal not allowed: {glob}");
        }
    }

    private static string Describe(SourceEntryKind kind) => kind == SourceEntryKind.Submodule ? "a submodule" : "a symlink";

    private static string ContextKey(TemplateContext context) => JsonSerializer.Serialize(new object?[]
    {
        context.GatewayName, context.PodName, context.PodOrdinal, context.Namespace, context.Ref, context.Commit, context.CRName,
        new SortedDictionary<string, string>(context.Labels.ToDictionary(), StringComparer.Ordinal),
        new SortedDictionary<string, string>(context.Vars.ToDictionary(), StringComparer.Ordinal),
    });

    private static string RenderKey(bool template, IReadOnlyList<JsonPatchSpec> patches, string source, string destination, string type, string contextKey)
    {
        var text = JsonSerializer.Serialize(new object?[]
        {
            template, source, destination, type, contextKey,
            patches.Select(p => new object?[] { p.File ?? "", p.Set.Select(kv => new[] { kv.Key, kv.Value }).ToArray() }).ToArray(),
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
