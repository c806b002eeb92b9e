using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Stoker.IgnitionSimulator;
using Stoker.Tests.AgentRuntime;
using Stoker.Tests.EndToEnd;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.PrivateRepos;

/// <summary>
/// One real silo process with a secrets folder and a webhook secret, shared by the private-repository tests; each test
/// uses its own resource name, Secrets, git server and agent processes, and cleans them up.
/// </summary>
public sealed class PrivateReposSilo : IAsyncLifetime
{
    public const string Namespace = "plant";
    public const string WebhookSecret = "private-repos-hmac";
    public const string IgnitionToken = "stoker:private-repos";

    private readonly TempDirectory _temp = new("private-repos");
    private SiloProcess? _silo;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("not started");

    public string SecretsPath => _temp.Combine("secrets");

    public TempDirectory Temp => _temp;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(SecretsPath);
        // Every resource names this Secret for the gateway API; with a secrets folder, a missing one holds Ready back.
        WriteSecret("ignition-api-key", "apiKey", IgnitionToken);
        _silo = await SiloProcess.StartAsync(new SiloProcessSettings
        {
            Name = "private-repos",
            Environment = new Dictionary<string, string>
            {
                ["Stoker__Silo__SecretsPath"] = SecretsPath,
                ["Stoker__Webhook__HmacSecret"] = WebhookSecret,
                // SSH scratch folders (key copies) of a process killed mid-operation stay in this fixture's folder.
                ["TMPDIR"] = Directory.CreateDirectory(_temp.Combine("silo-tmp")).FullName,
            },
            StartTimeout = TimeSpan.FromSeconds(60),
        });
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        _temp.Dispose();
    }

    /// <summary>Writes (or replaces, in one rename) <c>{secrets}/plant/{name}/{key}</c>, as the Secrets API does.</summary>
    public void WriteSecret(string name, string key, string value)
    {
        var folder = Directory.CreateDirectory(Path.Join(SecretsPath, Namespace, name)).FullName;
        var next = Path.Join(folder, "." + key + ".next");
        File.WriteAllText(next, value);
        File.Move(next, Path.Join(folder, key), overwrite: true);
    }

    public static string ResourcePath(string name) => $"/apis/stoker.io/v1alpha1/namespaces/{Namespace}/gatewaysyncs/{name}";

    /// <summary>Applies a GatewaySync for <paramref name="repoUrl"/> (ref main, polling off, profile default mapping projects).</summary>
    /// <param name="auth">The <c>spec.git.auth</c> block's YAML, indented for its place (<c>auth:</c> at 4 spaces), or null for none.</param>
    public async Task PutResourceAsync(string name, string repoUrl, string? auth)
    {
        var yaml = $"""
            apiVersion: stoker.io/v1alpha1
            kind: GatewaySync
            metadata:
              name: {name}
              namespace: {Namespace}
            spec:
              git:
                repo: "{repoUrl}"
                ref: "main"
            {auth ?? ""}
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
                        destination: projects
            """;
        using var content = new StringContent(yaml, Encoding.UTF8, "application/yaml");
        using var response = await Silo.Http.PutAsync(new Uri(ResourcePath(name), UriKind.Relative), content);
        Assert.True(response.IsSuccessStatusCode, $"PUT {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{Silo.Output}");
    }

    public async Task DeleteResourceAsync(string name)
    {
        using var response = await Silo.Http.DeleteAsync(new Uri(ResourcePath(name), UriKind.Relative));
    }

    /// <summary>A signed push of main at <paramref name="commit"/>: the silo resolves again and pushes the new desired state.</summary>
    public async Task PushAsync(string name, string commit) =>
        Assert.Equal(HttpStatusCode.Accepted, await SitePushes.PushAsync(Silo.Http, Namespace, name, commit, WebhookSecret));

    /// <summary>Polls the resource until its status satisfies <paramref name="done"/>; returns the whole resource.</summary>
    public Task<JsonElement> WaitForStatusAsync(string name, Func<JsonElement, bool> done, string what, Func<string> diagnostics) =>
        Eventually.Until(
            async () => JsonDocument.Parse(await Silo.Http.GetStringAsync(new Uri(ResourcePath(name), UriKind.Relative))).RootElement.Clone(),
            r => r.TryGetProperty("status", out var s) && done(s),
            TimeSpan.FromSeconds(60),
            what + "\n" + diagnostics());

    /// <summary>The condition of <paramref name="type"/> in a status, or null.</summary>
    public static JsonElement? Condition(JsonElement status, string type) =>
        status.TryGetProperty("conditions", out var conditions)
            ? conditions.EnumerateArray().Where(c => c.GetProperty("type").GetString() == type).Select(static c => (JsonElement?)c).FirstOrDefault()
            : null;

    public static bool HasCondition(JsonElement status, string type, string value, string? messagePart = null) =>
        Condition(status, type) is { } c && c.GetProperty("status").GetString() == value
        && (messagePart is null || (c.GetProperty("message").GetString() ?? "").Contains(messagePart, StringComparison.Ordinal));

    /// <summary>The commit the resource's one gateway last reported, or null.</summary>
    public static string? GatewayCommit(JsonElement status) => Gateway(status, "syncedCommit");

    /// <summary>The sync status the resource's one gateway last reported, or null.</summary>
    public static string? GatewayStatus(JsonElement status) => Gateway(status, "syncStatus");

    private static string? Gateway(JsonElement status, string property) =>
        status.TryGetProperty("discoveredGateways", out var gateways) && gateways.GetArrayLength() == 1
        && gateways[0].TryGetProperty(property, out var value) ? value.GetString() : null;

    /// <summary>
    /// Starts an Ignition simulator and a real <c>stoker-agent run</c> for gateway <c>{name}-gw</c> of resource
    /// <paramref name="name"/>; the agent has no git credential of its own unless <paramref name="extra"/> gives one.
    /// </summary>
    public async Task<PrivateRepoAgent> StartAgentAsync(string name, IReadOnlyDictionary<string, string>? extra = null)
    {
        var simulator = await GatewaySimulator.StartAsync(new IgnitionSimulatorOptions { ApiToken = IgnitionToken, Urls = [new Uri("http://127.0.0.1:0")] });
        try
        {
            var gateway = name + "-gw";
            var apiKeyFile = _temp.Combine(gateway + "-api-key");
            await File.WriteAllTextAsync(apiKeyFile, IgnitionToken);
            var agentToken = await Silo.MintAgentTokenFileAsync($"{Namespace}/{name}/{gateway}", _temp.Combine(gateway + "-agent-token"));
            var environment = new Dictionary<string, string>
            {
                ["AGENT_TOKEN_FILE"] = agentToken,
                ["CR_NAME"] = name,
                ["CR_NAMESPACE"] = Namespace,
                ["POD_NAME"] = gateway + "-0",
                ["GATEWAY_NAME"] = gateway,
                ["REPO_PATH"] = _temp.Combine(gateway + "-work"),
                ["GATEWAY_PORT"] = simulator.BaseUrl.Port.ToString(CultureInfo.InvariantCulture),
                ["API_KEY_FILE"] = apiKeyFile,
                ["SILO_ENDPOINTS"] = "127.0.0.1:" + Silo.GatewayPort.ToString(CultureInfo.InvariantCulture),
                ["SILO_CA_FILE"] = Silo.CaFile,
                ["ORLEANS_CLUSTER_ID"] = Silo.ClusterId,
                ["ORLEANS_SERVICE_ID"] = Silo.ServiceId,
                ["HEARTBEAT_INTERVAL"] = "1",
                ["POST_COMMISSION_INTERVAL"] = "1",
                // The agent is killed when the test ends, maybe during a fetch (the post-commission re-sync): its SSH
                // scratch folder, key copy included, must then stay inside this fixture's folder, which is deleted.
                ["TMPDIR"] = Directory.CreateDirectory(_temp.Combine(gateway + "-tmp")).FullName,
            };
            foreach (var (key, value) in extra ?? new Dictionary<string, string>())
            {
                environment[key] = value;
            }

            return new PrivateRepoAgent(AgentProcessHost.Start(environment, _temp.Combine(gateway + "-data")), simulator);
        }
        catch
        {
            await simulator.DisposeAsync();
            throw;
        }
    }
}
