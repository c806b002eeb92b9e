using System.Text;
using System.Text.Json.Nodes;

namespace Stoker.Tests.Admission;

/// <summary>Reading AdmissionReview answers and applying JSON Patches as the API server does, for the tests.</summary>
internal static class AdmissionWire
{
    /// <summary>The decoded answer: allowed, status code and message, and the JSON Patch (null when none).</summary>
    public static JsonObject Summary(JsonObject review)
    {
        var response = review["response"]!.AsObject();
        var patch = response["patch"] is JsonValue encoded
            ? JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(encoded.GetValue<string>())))
            : null;
        return new JsonObject
        {
            ["allowed"] = response["allowed"]!.GetValue<bool>(),
            ["code"] = response["status"]?["code"]?.DeepClone(),
            ["message"] = response["status"]?["message"]?.DeepClone(),
            ["patchType"] = response["patchType"]?.DeepClone(),
            ["patch"] = patch,
        };
    }

    /// <summary>Applies <c>add</c> operations (all the injector writes) per RFC 6902; anything else fails the test.</summary>
    public static JsonObject Apply(JsonObject document, JsonArray patch)
    {
        var result = document.DeepClone().AsObject();
        foreach (var operation in patch.Select(o => o!.AsObject()))
        {
            Assert.Equal("add", operation["op"]!.GetValue<string>());
            var tokens = operation["path"]!.GetValue<string>().Split('/').Skip(1).Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
            JsonNode parent = result;
            foreach (var token in tokens[..^1])
            {
                parent = parent is JsonArray array ? array[int.Parse(token, System.Globalization.CultureInfo.InvariantCulture)]! : parent[token] ?? throw new InvalidOperationException($"path {operation["path"]}: {token} does not exist");
            }

            var last = tokens[^1];
            var value = operation["value"]?.DeepClone();
            if (parent is JsonArray target)
            {
                if (last == "-")
                {
                    target.Add(value);
                }
                else
                {
                    target.Insert(int.Parse(last, System.Globalization.CultureInfo.InvariantCulture), value);
                }
            }
            else
            {
                parent.AsObject()[last] = value;
            }
        }

        return result;
    }
}
