using YamlDotNet.RepresentationModel;

namespace Stoker.Tests.Demo;

/// <summary>docker-compose.yml as written (before variable interpolation), read with YamlDotNet.</summary>
internal sealed class ComposeFile
{
    private readonly YamlMappingNode _root;

    private ComposeFile(YamlMappingNode root) => _root = root;

    public static ComposeFile Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return new ComposeFile((YamlMappingNode)stream.Documents[0].RootNode);
    }

    public YamlMappingNode Root => _root;

    public IReadOnlyList<string> ServiceNames => [.. Services.Children.Keys.Select(k => ((YamlScalarNode)k).Value!)];

    public YamlMappingNode Service(string name) =>
        Services.Children.TryGetValue(new YamlScalarNode(name), out var node) ? (YamlMappingNode)node : throw new Xunit.Sdk.XunitException($"docker-compose.yml has no service \"{name}\"");

    public static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    public static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    /// <summary>A list of strings (<c>command</c>, <c>entrypoint</c>, <c>ports</c>, <c>volumes</c>); empty when absent.</summary>
    public static IReadOnlyList<string> List(YamlMappingNode node, string key) =>
        Child(node, key) is YamlSequenceNode sequence ? [.. sequence.Children.Select(c => ((YamlScalarNode)c).Value!)] : [];

    /// <summary><c>environment</c> in its map form.</summary>
    public static IReadOnlyDictionary<string, string> Environment(YamlMappingNode service) =>
        Child(service, "environment") is YamlMappingNode map
            ? map.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value ?? "")
            : new Dictionary<string, string>();

    private YamlMappingNode Services => (YamlMappingNode)_root.Children[new YamlScalarNode("services")];
}
