using System.Text;
using Stoker.Sync.Patching;
using Stoker.Templating;

namespace Stoker.Sync;

/// <summary>
/// Per-file content transformation (docs/sync-engine.md): content templating first, then each matching patch in
/// order. Errors name the destination path, the repository file and the rule.
/// </summary>
internal sealed class ContentRenderer(TemplateObject data)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly Dictionary<(int Mapping, int Patch), List<KeyValuePair<string, string>>> _renderedSets = [];

    public byte[] Render(byte[] content, PlannedMapping mapping, DesiredFile file)
    {
        if (mapping.Template)
        {
            content = RenderTemplate(content, file);
        }

        var relative = mapping.IsFile ? SyncPaths.Name(mapping.Destination) : SyncPaths.RelativeTo(mapping.Destination, file.Path) ?? file.Path;
        for (var j = 0; j < mapping.Patches.Count; j++)
        {
            var patch = mapping.Patches[j];
            bool matches;
            try
            {
                matches = PatchTargets.Matches(patch.File, relative, mapping.IsFile, SyncPaths.Name(mapping.Destination));
            }
            catch (JsonPatchException e)
            {
                throw new SyncException($"patching {file.Path}: mapping[{mapping.Index}].patches[{j}].file: {e.Message}", e);
            }

            if (!matches)
            {
                continue;
            }

            var set = RenderedSet(mapping, j, file);
            string json;
            try
            {
                json = StrictUtf8.GetString(content);
            }
            catch (DecoderFallbackException e)
            {
                throw new SyncException($"patching {file.Path}: file is not valid JSON (not UTF-8 text)", e);
            }

            try
            {
                content = StrictUtf8.GetBytes(JsonPatcher.Apply(json, set, file.Path));
            }
            catch (JsonPatchException e)
            {
                // The patcher's message starts with the file name it was given.
                throw new SyncException($"patching {e.Message}", e);
            }
        }

        return content;
    }

    private byte[] RenderTemplate(byte[] content, DesiredFile file)
    {
        // Checked before the fast path so a binary file fails even without "{{" (docs/templates.md).
        if (Array.IndexOf(content, (byte)0) >= 0)
        {
            throw new SyncException($"templating {file.Path}: template=true on binary file is not supported: {file.Source}");
        }

        if (content.AsSpan().IndexOf("{{"u8) < 0)
        {
            return content; // untouched, byte for byte
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(content);
        }
        catch (DecoderFallbackException e)
        {
            throw new SyncException($"templating {file.Path}: {file.Source} is not valid UTF-8 text", e);
        }

        try
        {
            return StrictUtf8.GetBytes(GoTemplate.Parse(text, file.Source).Render(data));
        }
        catch (Exception e) when (e is TemplateParseException or TemplateExecutionException)
        {
            throw new SyncException($"templating {file.Path}: {e.Message}", e);
        }
    }

    private List<KeyValuePair<string, string>> RenderedSet(PlannedMapping mapping, int patch, DesiredFile file)
    {
        if (_renderedSets.TryGetValue((mapping.Index, patch), out var cached))
        {
            return cached;
        }

        var rendered = new List<KeyValuePair<string, string>>();
        foreach (var (path, value) in mapping.Patches[patch].Set)
        {
            try
            {
                rendered.Add(new(path, GoTemplate.RenderString(value, $"mapping[{mapping.Index}].patches[{patch}].set[{path}]", data)));
            }
            catch (Exception e) when (e is TemplateParseException or TemplateExecutionException)
            {
                throw new SyncException($"patching {file.Path}: resolving patch value for path \"{path}\": {e.Message}", e);
            }
        }

        _renderedSets[(mapping.Index, patch)] = rendered;
        return rendered;
    }
}
