using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stoker.Silo.Api.Patching;

/// <summary>
/// Strategic merge patch for a Secret, whose fields are maps and scalars only (its lists, finalizers and
/// ownerReferences, are replaced whole here): a JSON merge patch plus the map directives kubectl may send —
/// <c>$patch: replace|delete|merge</c>, <c>$retainKeys</c>, and <c>$setElementOrder/…</c> (order only, ignored).
/// Any other directive is refused by name rather than stored as a field.
/// </summary>
public static class StrategicMergePatch
{
    private const string PatchDirective = "$patch";
    private const string RetainKeys = "$retainKeys";
    private const string SetElementOrder = "$setElementOrder/";

    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is JsonArray array)
        {
            if (array.Any(item => item is JsonObject o && o.ContainsKey(PatchDirective)))
            {
                throw new PatchException("strategic merge patch: list directives ($patch inside a list) are not supported for Secrets; send the whole list", 400);
            }

            return array.DeepClone();
        }

        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var directive = patchObject[PatchDirective] switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            var other => throw new PatchException($"strategic merge patch: $patch must be a string, found {other.ToJsonString()}", 400),
        };
        switch (directive)
        {
            case "delete":
                return null;
            case "replace":
                return Without(patchObject, [PatchDirective]);
            case null or "merge":
                break;
            default:
                throw new PatchException($"strategic merge patch: unknown $patch directive \"{directive}\" (replace, delete, merge)", 400);
        }

        var result = target is JsonObject targetObject ? targetObject.DeepClone().AsObject() : [];
        foreach (var (key, value) in patchObject)
        {
            if (key == PatchDirective || key == RetainKeys || key.StartsWith(SetElementOrder, StringComparison.Ordinal))
            {
                continue;
            }

            if (key.StartsWith('$'))
            {
                throw new PatchException($"strategic merge patch: directive \"{key}\" is not supported for Secrets", 400);
            }

            if (value is null)
            {
                result.Remove(key);
            }
            else if (Apply(result[key], value) is { } merged)
            {
                result[key] = merged;
            }
            else
            {
                result.Remove(key);
            }
        }

        if (patchObject[RetainKeys] is { } retain)
        {
            if (retain is not JsonArray keys || keys.Any(k => k is not JsonValue kv || kv.GetValueKind() != JsonValueKind.String))
            {
                throw new PatchException("strategic merge patch: $retainKeys must be a list of strings", 400);
            }

            var kept = keys.Select(k => k!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var key in result.Select(p => p.Key).Where(k => !kept.Contains(k)).ToList())
            {
                result.Remove(key);
            }
        }

        return result;
    }

    private static JsonObject Without(JsonObject source, string[] keys)
    {
        var copy = source.DeepClone().AsObject();
        foreach (var key in keys)
        {
            copy.Remove(key);
        }

        return copy;
    }
}
