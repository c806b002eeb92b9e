using System.Text.Json;
using System.Text.Json.Serialization;

namespace Stoker.Silo.Admission;

/// <summary>The wire format of AdmissionReview (camelCase, nulls left out) and the bound on what is parsed.</summary>
public static class AdmissionJson
{
    /// <summary>Deeper JSON is refused before anything walks it; Kubernetes objects are far shallower.</summary>
    public const int MaxDepth = 64;

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        MaxDepth = MaxDepth,
    };
}
