using System.Text.Json.Nodes;

namespace Stoker.Silo.Api.Patching;

/// <summary>
/// RFC 7386 JSON merge patch: objects merge member by member, <c>null</c> removes, anything else (arrays included)
/// replaces. The target is not modified. Depth is bounded by the reader (ResourceLimits) before a patch gets here.
/// </summary>
public static class JsonMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? targetObject.DeepClone().AsObject() : [];
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = Apply(result[key], value);
            }
        }

        return result;
    }
}
