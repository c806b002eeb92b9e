namespace Stoker.Tests.Api;

/// <summary>GatewaySync manifests as users write them (YAML), for the apply API, folder and CLI tests.</summary>
public static class Manifests
{
    public static string GatewaySync(string name, string ns, string repo, string @ref = "main", string destination = "projects", string extra = "") => $"""
        apiVersion: stoker.io/v1alpha1
        kind: GatewaySync
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          git:
            repo: "{repo}"
            ref: "{@ref}"
          polling:
            enabled: false
          gateway:
            api:
              secretName: ignition-api-key
          sync:
            profiles:
              default:
                mappings:
                  - source: projects
                    destination: {destination}
        {extra}
        """;

    /// <summary>Four violations at once: a missing repo, a traversal, a period below the minimum, an unknown field.</summary>
    public static string Invalid(string name, string ns) => $"""
        apiVersion: stoker.io/v1alpha1
        kind: GatewaySync
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          git:
            ref: main
          gateway:
            api:
              secretName: ignition-api-key
          colour: blue
          sync:
            defaults:
              syncPeriod: 4
            profiles:
              default:
                mappings:
                  - source: projects
                    destination: ../etc
        """;
}
