using System.Text;
using Stoker.Bench.Data;

namespace Stoker.Bench.Sync;

/// <summary>The benchmark's GatewaySync: one profile, <c>plant</c>, mapping the generated repository's folders (no templates or patches).</summary>
internal static class BenchResource
{
    public const string Namespace = "bench";
    public const string Name = "plant";
    public const string Profile = "plant";

    /// <param name="nonce">An unused profile variable: changing it gives the agent a new desired state on the same commit.</param>
    public static string Yaml(string repoUrl, int nonce)
    {
        var yaml = new StringBuilder();
        yaml.Append($$"""
            apiVersion: stoker.io/v1alpha1
            kind: GatewaySync
            metadata:
              name: {{Name}}
              namespace: {{Namespace}}
            spec:
              git:
                repo: "{{repoUrl}}"
                ref: "main"
              polling:
                enabled: false
              gateway:
                api:
                  secretName: ignition-api-key
              sync:
                profiles:
                  {{Profile}}:
                    vars:
                      nonce: "{{nonce}}"
                    mappings:

            """);
        foreach (var m in IgnitionRepository.Mappings)
        {
            yaml.Append($"""
                          - source: "{m.Source}/"
                            destination: "{m.Destination}/"
                            type: dir
                            required: true

                """);
        }

        return yaml.ToString();
    }
}
