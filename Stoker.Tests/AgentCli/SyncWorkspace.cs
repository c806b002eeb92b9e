using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.AgentCli;

/// <summary>
/// A temp folder for <c>stoker-agent sync</c> runs against a real repository: the repository at <c>repos/site</c>, the
/// resource file <c>gs.yaml</c>, the data folder and the work folder (<c>work</c>). Dispose deletes it all.
/// </summary>
internal sealed class SyncWorkspace : IDisposable
{
    /// <summary>
    /// GatewaySync <c>plant/site</c> with one mapping, <c>services/gw/projects</c> to <c>projects</c>. Its repository URL is
    /// never used: the runs give <c>--repo</c>.
    /// </summary>
    public const string ProjectsResource = """
        apiVersion: stoker.io/v1alpha1
        kind: GatewaySync
        metadata:
          name: site
          namespace: plant
        spec:
          git:
            repo: "https://example.invalid/never-used.git"
            ref: "main"
          gateway:
            api:
              secretName: gw-api-key
          sync:
            profiles:
              default:
                mappings:
                  - source: "services/gw/projects"
                    destination: "projects"
        """;

    private readonly TempDirectory _dir;

    /// <param name="prefix">The temp folder's name prefix.</param>
    /// <param name="data">The data folder, relative to the temp folder.</param>
    public SyncWorkspace(string prefix, params string[] data)
    {
        _dir = new TempDirectory(prefix);
        Repo = GitRepository.Create(_dir.Combine("repos", "site"));
        Data = _dir.Combine(data.Length == 0 ? ["data"] : data);
    }

    public string Path => _dir.Path;

    public GitRepository Repo { get; }

    /// <summary>The resource file, <c>gs.yaml</c>.</summary>
    public string Resource => _dir.Combine("gs.yaml");

    public string Data { get; }

    public string Work => _dir.Combine("work");

    public string Combine(params string[] parts) => _dir.Combine(parts);

    /// <summary>Writes <see cref="Resource"/> and returns its path.</summary>
    public string WriteResource(string yaml)
    {
        File.WriteAllText(Resource, yaml);
        return Resource;
    }

    /// <summary>
    /// <c>stoker-agent sync --resource {resource} --data {Data} --work {Work} --pod-name ignition-0 {extra}</c>; <c>--work</c>
    /// only when <paramref name="extra"/> does not give one.
    /// </summary>
    public Task<AgentRun> SyncAsync(string resource, params string[] extra) => AgentProcess.RunAsync(
        ["sync", "--resource", resource, "--data", Data, .. extra.Contains("--work") ? Array.Empty<string>() : ["--work", Work], "--pod-name", "ignition-0", .. extra]);

    public void Dispose()
    {
        Repo.Dispose();
        _dir.Dispose();
    }
}
