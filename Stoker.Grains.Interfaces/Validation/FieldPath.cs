using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Stoker.Grains.Interfaces.Validation;

/// <summary>Builds field paths in the form Kubernetes prints them: <c>spec.sync.profiles.a.mappings[0].source</c>.</summary>
public static partial class FieldPath
{
    public static string Child(string parent, string name)
    {
        var simple = name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
        var segment = simple ? name : "[" + JsonSerializer.Serialize(name) + "]";
        return parent.Length == 0 ? segment : simple ? parent + "." + segment : parent + segment;
    }

    public static string Index(string parent, int index) => parent + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    /// <summary>
    /// Removes the member a path names from <paramref name="root"/>, if it is there. Array items are left in place
    /// so that the paths of the items after them stay right.
    /// </summary>
    public static void Remove(JsonObject root, string path)
    {
        JsonNode? current = root;
        JsonObject? parent = null;
        string? name = null;
        foreach (Match segment in Segment().Matches(path))
        {
            if (segment.Groups["index"].Success)
            {
                var index = int.Parse(segment.Groups["index"].Value, CultureInfo.InvariantCulture);
                (parent, name) = (null, null);
                current = current is JsonArray array && index < array.Count ? array[index] : null;
            }
            else
            {
                name = segment.Groups["name"].Success ? segment.Groups["name"].Value : JsonSerializer.Deserialize<string>(segment.Groups["quoted"].Value)!;
                parent = current as JsonObject;
                current = parent?[name];
            }
        }

        if (parent is not null && name is not null)
        {
            parent.Remove(name);
        }
    }

    [GeneratedRegex(@"\G(?:\.?(?<name>[A-Za-z0-9_-]+)|\[(?<index>[0-9]+)\]|\[(?<quoted>""(?:[^""\\]|\\.)*"")\])", RegexOptions.CultureInvariant)]
    private static partial Regex Segment();
}
