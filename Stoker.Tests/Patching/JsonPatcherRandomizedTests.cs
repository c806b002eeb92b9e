using System.Text.Json;
using System.Text.Json.Nodes;
using Stoker.Sync.Patching;

namespace Stoker.Tests.Patching;

// Seeded random documents and paths: every result must be valid JSON in which the patched path holds the
// new value and everything else is what it was.
public sealed class JsonPatcherRandomizedTests
{
    [Fact]
    public void Apply_RandomDocumentsAndPaths_ResultHasValueAtPathAndRestUnchanged()
    {
        var random = new Random(20240611);
        for (var iteration = 0; iteration < 300; iteration++)
        {
            var document = RandomValue(random, depth: 0, forceObject: true);
            var indented = random.Next(2) == 0;
            var text = document.ToJsonString(new JsonSerializerOptions { WriteIndented = indented });
            var path = RandomPath(random, document);
            var value = random.Next(1000).ToString(System.Globalization.CultureInfo.InvariantCulture);

            var result = JsonPatcher.Apply(text, [new KeyValuePair<string, string>(string.Join('.', path), value)], "r.json");

            var expected = document.DeepClone();
            SetExpected(expected, path, JsonValue.Create(int.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));
            var actual = JsonNode.Parse(result);
            Assert.True(JsonNode.DeepEquals(expected, actual), $"seeded case {iteration}: {text} + {string.Join('.', path)}={value} gave {result}");
        }
    }

    private static JsonNode RandomValue(Random random, int depth, bool forceObject = false)
    {
        var kind = forceObject ? 0 : random.Next(depth > 3 ? 2 : 4) + (depth > 3 ? 2 : 0);
        switch (kind)
        {
            case 0:
                var obj = new JsonObject();
                for (var i = random.Next(4); i > 0; i--)
                {
                    obj[$"k{random.Next(6)}"] = RandomValue(random, depth + 1);
                }

                return obj;
            case 1:
                var array = new JsonArray();
                for (var i = random.Next(4); i > 0; i--)
                {
                    array.Add(RandomValue(random, depth + 1));
                }

                return array;
            case 2:
                return JsonValue.Create(random.Next(100));
            default:
                return JsonValue.Create(random.Next(2) == 0 ? "s" : "x y")!;
        }
    }

    // Walks existing containers for a while, then may add keys that do not exist yet.
    private static List<string> RandomPath(Random random, JsonNode document)
    {
        var path = new List<string>();
        JsonNode? node = document;
        while (true)
        {
            if (node is JsonObject obj && obj.Count > 0 && random.Next(4) != 0)
            {
                var key = obj.ElementAt(random.Next(obj.Count)).Key;
                path.Add(key);
                node = obj[key];
            }
            else if (node is JsonArray array && array.Count > 0 && random.Next(4) != 0)
            {
                var index = random.Next(array.Count);
                path.Add(index.ToString(System.Globalization.CultureInfo.InvariantCulture));
                node = array[index];
            }
            else
            {
                if (node is JsonArray)
                {
                    path.Add(random.Next(2) == 0 ? "-1" : random.Next(5).ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    path.Add($"n{random.Next(3)}");
                }

                for (var extra = random.Next(3); extra > 0; extra--)
                {
                    path.Add(random.Next(3) == 0 ? "0" : $"m{random.Next(3)}");
                }

                return path;
            }

            if (random.Next(3) == 0)
            {
                return path;
            }
        }
    }

    // The same rules, on a JsonNode tree.
    private static void SetExpected(JsonNode root, List<string> path, JsonNode value)
    {
        JsonNode? parent = null;
        object? slot = null;
        var node = root;
        for (var i = 0; i < path.Count; i++)
        {
            var key = path[i];
            var numeric = key.All(char.IsAsciiDigit);
            if (node is JsonObject obj)
            {
                if (!obj.ContainsKey(key))
                {
                    obj[key] = Build(path, i + 1, value);
                    return;
                }

                parent = obj;
                slot = key;
                node = obj[key]!;
            }
            else if (node is JsonArray array && (numeric || key == "-1"))
            {
                var index = key == "-1" ? array.Count : int.Parse(key, System.Globalization.CultureInfo.InvariantCulture);
                if (index >= array.Count)
                {
                    while (array.Count < index)
                    {
                        array.Add(null);
                    }

                    array.Add(Build(path, i + 1, value));
                    return;
                }

                parent = array;
                slot = index;
                node = array[index]!;
            }
            else
            {
                // A scalar where a container is needed: replaced by a new container holding the rest.
                var replacement = numeric ? (JsonNode)new JsonArray() : new JsonObject();
                Replace(parent, slot, replacement);
                node = replacement;
                i--;
                continue;
            }
        }

        Replace(parent, slot, value.DeepClone());
    }

    private static JsonNode Build(List<string> path, int from, JsonNode value)
    {
        if (from == path.Count)
        {
            return value.DeepClone();
        }

        var key = path[from];
        if (key.All(char.IsAsciiDigit) || key == "-1")
        {
            var array = new JsonArray();
            var padding = key == "-1" ? 0 : int.Parse(key, System.Globalization.CultureInfo.InvariantCulture);
            for (var i = 0; i < padding; i++)
            {
                array.Add(null);
            }

            array.Add(Build(path, from + 1, value));
            return array;
        }

        return new JsonObject { [key] = Build(path, from + 1, value) };
    }

    private static void Replace(JsonNode? parent, object? slot, JsonNode value)
    {
        switch (parent)
        {
            case JsonObject obj:
                obj[(string)slot!] = value;
                break;
            case JsonArray array:
                array[(int)slot!] = value;
                break;
            default:
                throw new InvalidOperationException("the root is always an object");
        }
    }
}
