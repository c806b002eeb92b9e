using System.Text;
using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Tests.Api;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Kubectl;

/// <summary>One real <c>stoker-silo</c> (local mode, API authentication on, HTTPS beside HTTP) and one git repository for a kubectl test class.</summary>
public sealed class EventsKubectlSilo : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("kubectl-silo");
    private SiloProcess? _silo;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("not started");

    public GitRepository Repo { get; private set; } = null!;

    public string Commit { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Repo = GitRepository.Create(_temp.Combine("repo"));
        Repo.WriteFile("projects/A/project.json", "{}");
        Commit = Repo.Commit("first");
        // A secrets folder: the original's mixed files carry Secrets, which local mode keeps there.
        Directory.CreateDirectory(_temp.Combine("secrets"));
        _silo = await SiloProcess.StartAsync(new SiloProcessSettings
        {
            Name = "kubectl",
            Https = true,
            Environment = new Dictionary<string, string> { ["Stoker__Silo__SecretsPath"] = _temp.Combine("secrets") },
        });
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        Repo?.Dispose();
        _temp.Dispose();
    }

    /// <summary>
    /// A kubectl for <paramref name="binary"/> with the silo's admin token, in <paramref name="namespace"/>, over HTTPS:
    /// kubectl sends no token over plain HTTP.
    /// </summary>
    public KubectlClient Kubectl(string binary, string @namespace = "default") =>
        new(binary, Silo.HttpsAddress, Silo.AdminToken.Token ?? throw new InvalidOperationException("the silo wrote no admin token"), @namespace, Silo.CaFile);

    /// <summary>Creates or replaces a GatewaySync through the silo's HTTP API (not kubectl: what a test sets up, not what it checks).</summary>
    public async Task<JsonNode> PutAsync(string @namespace, string manifest)
    {
        var name = (string)YamlJson.ReadOne(manifest)["metadata"]!["name"]!;
        using var content = new StringContent(manifest, Encoding.UTF8, "application/yaml");
        using var put = await Silo.Http.PutAsync(new Uri(ApplyApiHost.ItemPath(@namespace, name), UriKind.Relative), content);
        var body = await put.Content.ReadAsStringAsync();
        Assert.True(put.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!;
    }

    /// <summary>The kubectl binaries, for <c>[MemberData]</c>.</summary>
    public static IEnumerable<object[]> Binaries() => KubectlClient.Binaries().Select(b => new object[] { b });
}
