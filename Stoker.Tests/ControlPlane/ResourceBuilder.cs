using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;

namespace Stoker.Tests.ControlPlane;

/// <summary>Builds GatewaySync resources for control-plane tests through the real reader (defaults applied).</summary>
public static class ResourceBuilder
{
    public static GatewaySync Create(string name, string repo, string @ref, string extraSpec = "", string profiles = DefaultProfiles, string ns = "ns")
    {
        var yaml = $"""
            apiVersion: stoker.io/v1alpha1
            kind: GatewaySync
            metadata:
              name: {name}
              namespace: {ns}
            spec:
              git:
                repo: "{repo}"
                ref: "{@ref}"
              gateway:
                api:
                  secretName: ignition-api-key
            {extraSpec}
              sync:
                profiles:
            {profiles}
            """;
        var result = GatewaySyncSerializer.Parse(yaml);
        Assert.True(result.IsValid, result.Describe() + "\n" + yaml);
        return result.Resource!;
    }

    public const string DefaultProfiles = """
              default:
                mappings:
                  - source: projects
                    destination: projects
        """;
}
