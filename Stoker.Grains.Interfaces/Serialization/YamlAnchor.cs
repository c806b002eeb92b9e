using System.Text.Json.Nodes;

namespace Stoker.Grains.Interfaces.Serialization;

/// <summary>An anchored node, the values reading it produced and how deep it goes: each alias to it is charged the same.</summary>
internal sealed record YamlAnchor(JsonNode? Node, int Values, int Height);
