using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Serialization;

namespace Stoker.Tests.Resources;

/// <summary>A small valid GatewaySync and ways to break exactly one thing in it.</summary>
internal static class ResourceYaml
{
    /// <summary>Valid: parses with no violations. Line numbers matter to the malformed-YAML cases.</summary>
    public const string Valid = """
        apiVersion: stoker.io/v1alpha1
        kind: GatewaySync
        metadata:
          name: plant-a
          namespace: sites
        spec:
          git:
            repo: https://github.com/example/ignition.git
            ref: main
          polling:
            enabled: true
            interval: 5m
          gateway:
            port: 8043
            tls: true
            api:
              secretName: gw-api-key
          sync:
            defaults:
              vars:
                site: plant_a
              syncPeriod: 30
              designerSessionPolicy: proceed
            profiles:
              standard:
                vars:
                  area: north
                mappings:
                  - source: projects
                    destination: projects
                    type: dir
                  - source: "config/{{.GatewayName}}"
                    destination: config/resources/core
                    patches:
                      - file: system-properties/config.json
                        set:
                          systemName: "{{.GatewayName}}"
          agent:
            image:
              repository: ghcr.io/example/stoker-agent
              pullPolicy: IfNotPresent

        """;

    /// <summary>The valid resource with <paramref name="change"/> applied to its tree, written back as YAML.</summary>
    public static string With(Action<JsonObject> change)
    {
        var root = YamlJson.ReadOne(Valid).AsObject();
        change(root);
        return YamlJson.Write(root);
    }

    /// <summary>Sets <paramref name="key"/> of the object at dotted <paramref name="parent"/> (keys may contain dots).</summary>
    public static void Set(JsonObject root, string parent, string key, JsonNode? value) =>
        (parent.Length == 0 ? root : NodePath.Object(root, parent))[key] = value;

    public static void Remove(JsonObject root, string parent, string key)
    {
        var obj = parent.Length == 0 ? root : NodePath.Object(root, parent);
        if (!obj.Remove(key))
        {
            throw new InvalidOperationException($"{parent}.{key} is not in the valid resource");
        }
    }

    /// <summary>Renames a key in place, keeping its value (a typo).</summary>
    public static void Rename(JsonObject root, string parent, string key, string newKey)
    {
        var obj = NodePath.Object(root, parent);
        var value = obj[key];
        Remove(root, parent, key);
        obj[newKey] = value?.DeepClone();
    }

    /// <summary>Replaces the one line of <see cref="Valid"/> that equals <paramref name="line"/> (ignoring indentation).</summary>
    public static string ReplaceLine(string line, string replacement)
    {
        var lines = Valid.Split('\n');
        var matches = lines.Select((l, i) => (l, i)).Where(x => x.l.Trim() == line).ToList();
        if (matches.Count != 1)
        {
            throw new InvalidOperationException($"\"{line}\" occurs {matches.Count} times in the valid resource");
        }

        lines[matches[0].i] = replacement;
        return string.Join('\n', lines);
    }

    /// <summary>1-based line of <paramref name="line"/> in <see cref="Valid"/>.</summary>
    public static int LineOf(string line) => Valid.Split('\n').Select((l, i) => (l, i)).Single(x => x.l.Trim() == line).i + 1;
}
