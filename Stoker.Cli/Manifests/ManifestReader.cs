using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Serialization;

namespace Stoker.Cli.Manifests;

/// <summary>
/// Reads the <c>-f</c> arguments like kubectl: a file, a folder (its .yaml, .yml and .json files, sorted; with
/// <c>-R</c> its subfolders too) or <c>-</c> for stdin; multi-document YAML and <c>List</c> objects become one
/// document per resource. Validation is left to the server so the CLI never disagrees with it; the reading limits of
/// <see cref="ResourceLimits"/> (size, nesting, alias expansion) are the server's too and are checked here first.
/// </summary>
public static class ManifestReader
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    /// <summary>Paths that do not exist are usage errors, reported before anything is sent.</summary>
    public static IReadOnlyList<string> MissingPaths(IEnumerable<string> paths) =>
        paths.Where(p => p != "-" && !File.Exists(p) && !Directory.Exists(p)).ToList();

    public static IReadOnlyList<ManifestDocument> Read(IEnumerable<string> paths, bool recursive, TextReader stdin, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(errors);
        var documents = new List<ManifestDocument>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var option = recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly;
                var files = Directory.EnumerateFiles(path, "*", option)
                    .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal);
                foreach (var file in files)
                {
                    ReadText(file, () => ResourceFile.ReadAllText(file), documents, errors);
                }
            }
            else
            {
                ReadText(path == "-" ? "<stdin>" : path, () => path == "-" ? ReadBounded(stdin) : ResourceFile.ReadAllText(path), documents, errors);
            }
        }

        return documents;
    }

    /// <summary>Stdin up to one character past the limit: enough for the reader to refuse it, never an unbounded read.</summary>
    private static string ReadBounded(TextReader stdin)
    {
        var buffer = new char[ResourceLimits.MaxTextLength + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = stdin.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
        }

        return new string(buffer, 0, length);
    }

    private static void ReadText(string source, Func<string> read, List<ManifestDocument> documents, List<string> errors)
    {
        IReadOnlyList<JsonNode> nodes;
        try
        {
            nodes = YamlJson.ReadAll(read());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"error: {source}: cannot read: {e.Message}");
            return;
        }
        catch (ResourceFormatException e)
        {
            errors.Add($"error: {source}: not valid YAML or JSON: {e.Message}");
            return;
        }

        var index = 0;
        foreach (var node in nodes)
        {
            var items = node is JsonObject o && o["items"] is JsonArray list && (o["kind"]?.GetValueKind() == System.Text.Json.JsonValueKind.String)
                && o["kind"]!.GetValue<string>().EndsWith("List", StringComparison.Ordinal)
                ? list.Select(i => i?.DeepClone()).ToList()
                : [node];
            foreach (var item in items)
            {
                index++;
                if (item is JsonObject)
                {
                    documents.Add(new ManifestDocument(source, index, item));
                }
                else
                {
                    errors.Add($"error: {source}, document {index}: a resource must be a mapping/object");
                }
            }
        }
    }
}
