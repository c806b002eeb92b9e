using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Stoker.IgnitionSimulator;
using Stoker.Tests.AgentRuntime;
using Stoker.Tests.Api;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Security;

/// <summary>
/// What a <see cref="LeakScenario"/> works with: a real silo with a secrets folder and its audit log, a scanner sampling
/// every process the test starts, helpers to write Secrets, apply the resource, start agents and wait; and
/// <see cref="CollectAsync"/>, which gathers every surface a credential must never reach.
/// </summary>
public sealed class LeakContext : IAsyncDisposable
{
    public const string Namespace = "leak";
    public const string CrName = "site";
    public const string ResourcePath = $"/apis/stoker.io/v1alpha1/namespaces/{Namespace}/gatewaysyncs/{CrName}";
    private const string IgnitionToken = "stoker:leak-ignition";
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<AgentProcessHost> _agents = [];

    private LeakContext(TempDirectory temp, SiloProcess silo, LeakScanner scanner)
    {
        Temp = temp;
        Silo = silo;
        Scanner = scanner;
    }

    public TempDirectory Temp { get; }

    public SiloProcess Silo { get; }

    public LeakScanner Scanner { get; }

    public string SecretsPath => Temp.Combine("secrets");

    public string AuditLog => Path.Join(Silo.StatePath, "audit.log");

    public IReadOnlyList<AgentProcessHost> Agents => _agents;

    /// <summary>The stand-in for GitHub's token endpoint, when the scenario needs one (owned by the context).</summary>
    public FakeGitHubApi? GitHub { get; private set; }

    public static async Task<LeakContext> StartAsync(string name, bool withGitHub = false)
    {
        var temp = new TempDirectory("leak-" + name);
        var scanner = new LeakScanner();
        scanner.StartSampling();
        FakeGitHubApi? github = null;
        try
        {
            Directory.CreateDirectory(temp.Combine("secrets"));
            github = withGitHub ? await FakeGitHubApi.StartAsync() : null;
            var silo = await SiloProcess.StartAsync(new SiloProcessSettings
            {
                Name = "leak",
                Environment = new Dictionary<string, string>(github?.SiloEnvironment ?? new Dictionary<string, string>())
                {
                    ["Stoker__Silo__SecretsPath"] = temp.Combine("secrets"),
                    // Debug: the most a silo ever logs is what must be clean.
                    ["Logging__LogLevel__Default"] = "Debug",
                    ["Logging__LogLevel__Microsoft.AspNetCore"] = "Debug",
                    ["Logging__LogLevel__System.Net.Http"] = "Debug",
                    ["Logging__LogLevel__Orleans"] = "Information",
                },
            });
            var context = new LeakContext(temp, silo, scanner);
            if (github is not null)
            {
                context.GitHub = context.Own(github);
            }

            context.WriteSecret("ignition-api-key", "apiKey", IgnitionToken);
            return context;
        }
        catch
        {
            if (github is not null)
            {
                await github.DisposeAsync();
            }

            await scanner.DisposeAsync();
            temp.Dispose();
            throw;
        }
    }

    /// <summary>A Secret in the secrets folder, as an operator (or Kubernetes' volume) would write it.</summary>
    public void WriteSecret(string name, string key, string value)
    {
        var folder = Directory.CreateDirectory(Path.Join(SecretsPath, Namespace, name)).FullName;
        File.WriteAllText(Path.Join(folder, key), value);
    }

    /// <summary>Something to dispose with the context (git servers, simulators).</summary>
    public T Own<T>(T disposable) where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <summary>A git server: disposed with the context, its processes left out of the sampling (they are the remote side).</summary>
    public T OwnServer<T>(T server) where T : IAsyncDisposable
    {
        var pid = server switch
        {
            SmartHttpGitServer http => http.ProcessId,
            SshGitServer ssh => ssh.ProcessId,
            _ => throw new ArgumentException($"{typeof(T).Name} is no git server the context knows", nameof(server)),
        };
        Scanner.Exclude(pid);
        return Own(server);
    }

    /// <summary>
    /// The <c>spec.git.repo</c> applied, when it carries user-info: the API and <c>stoker get -o yaml</c> return the spec
    /// as applied (as Kubernetes does), so that one field is left out of their documents; everything else is searched.
    /// </summary>
    public string? AppliedRepoUrl { get; set; }

    /// <summary>A repository with one project, in its own folder under the context's temp folder; returns that folder's parent (the server root).</summary>
    public string CreateRepository(string name = "site")
    {
        var root = Temp.Combine("repos");
        var repo = GitRepository.Create(Path.Join(root, name));
        repo.WriteFile("projects/Alpha/project.json", "{\"title\":\"alpha\"}");
        repo.Commit("initial");
        return root;
    }

    /// <summary>The GatewaySync, <paramref name="auth"/> being the YAML of <c>spec.git.auth</c> (indented by 4) or empty.</summary>
    public static string Resource(string repoUrl, string auth = "") => $"""
        apiVersion: stoker.io/v1alpha1
        kind: GatewaySync
        metadata:
          name: {CrName}
          namespace: {Namespace}
        spec:
          git:
            repo: "{repoUrl}"
            ref: "main"
        {auth}
          polling:
            enabled: false
          gateway:
            api:
              secretName: ignition-api-key
          sync:
            profiles:
              alpha:
                mappings:
                  - source: projects
                    destination: projects
        """;

    /// <summary><c>spec.git.auth.token</c> naming a Secret's key, indented for <see cref="Resource"/>.</summary>
    public static string TokenAuth(string secretName, string key) =>
        $"    auth:\n      token:\n        secretRef:\n          name: {secretName}\n          key: {key}";

    public async Task ApplyAsync(string yaml)
    {
        using var content = new StringContent(yaml, Encoding.UTF8, "application/yaml");
        using var response = await Silo.Http.PutAsync(new Uri(ResourcePath, UriKind.Relative), content);
        Assert.True(response.IsSuccessStatusCode, $"PUT {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{Silo.Output}");
    }

    /// <summary>Waits until the resource's condition <paramref name="type"/> has <paramref name="status"/> and its message contains <paramref name="message"/>.</summary>
    public Task<JsonObject> WaitForConditionAsync(string type, string status, string message = "") =>
        WaitForResourceAsync(r => Conditions(r).Any(c => (string?)c["type"] == type && (string?)c["status"] == status
            && ((string?)c["message"] ?? "").Contains(message, StringComparison.Ordinal)), $"{type}={status} ({message})");

    public async Task<JsonObject> WaitForResourceAsync(Func<JsonObject, bool> done, string what)
    {
        var resource = await Eventually.Until(async () =>
        {
            var (code, body) = await Silo.GetAsync(ResourcePath);
            return code == 200 ? JsonNode.Parse(body)!.AsObject() : new JsonObject();
        }, r => r.Count > 0 && done(r), TimeSpan.FromSeconds(90), $"{what}\n{Diagnostics()}");
        return resource;
    }

    /// <summary>
    /// An agent process for <paramref name="gateway"/> with an Ignition simulator and an agent token; <paramref name="environment"/>
    /// adds to (or replaces) its settings, e.g. <c>GIT_TOKEN_FILE</c>.
    /// </summary>
    public async Task<AgentProcessHost> StartAgentAsync(string gateway, IReadOnlyDictionary<string, string>? environment = null)
    {
        var simulator = Own(await GatewaySimulator.StartAsync(new IgnitionSimulatorOptions { ApiToken = IgnitionToken, Urls = [new Uri("http://127.0.0.1:0")] }));
        var apiKey = Temp.Combine(gateway + "-api-key");
        await File.WriteAllTextAsync(apiKey, IgnitionToken);
        var agentToken = await Silo.MintAgentTokenFileAsync($"{Namespace}/{CrName}/{gateway}", Temp.Combine(gateway + "-agent-token"));
        var settings = new Dictionary<string, string>
        {
            ["AGENT_TOKEN_FILE"] = agentToken,
            ["CR_NAME"] = CrName,
            ["CR_NAMESPACE"] = Namespace,
            ["POD_NAME"] = gateway + "-0",
            ["GATEWAY_NAME"] = gateway,
            ["PROFILE"] = "alpha",
            ["REPO_PATH"] = Temp.Combine(gateway + "-work"),
            ["GATEWAY_PORT"] = simulator.BaseUrl.Port.ToString(CultureInfo.InvariantCulture),
            ["API_KEY_FILE"] = apiKey,
            ["SILO_ENDPOINTS"] = "127.0.0.1:" + Silo.GatewayPort.ToString(CultureInfo.InvariantCulture),
            ["SILO_CA_FILE"] = Silo.CaFile,
            ["ORLEANS_CLUSTER_ID"] = Silo.ClusterId,
            ["ORLEANS_SERVICE_ID"] = Silo.ServiceId,
            ["HEARTBEAT_INTERVAL"] = "1",
            ["Logging__LogLevel__Default"] = "Debug",
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var agent = AgentProcessHost.Start(settings, Temp.Combine(gateway + "-data"));
        _agents.Add(agent);
        return agent;
    }

    /// <summary>Waits until the gateway's entry in the status has <paramref name="syncStatus"/>.</summary>
    public Task<JsonObject> WaitForGatewayAsync(string gateway, string syncStatus) =>
        WaitForResourceAsync(r => r["status"]?["discoveredGateways"] is JsonArray gateways
            && gateways.Any(g => (string?)g!["name"] == gateway && (string?)g["syncStatus"] == syncStatus), $"gateway {gateway} {syncStatus}");

    /// <summary>
    /// Every surface a credential must never reach: the resource as JSON and YAML through the API, <c>stoker get -o yaml</c>
    /// and <c>stoker describe</c>, the events API, <c>/metrics</c> of the silo and of every agent, the agents' health
    /// answers, the audit log with its rotated files, and the output of every process. (Process command lines and
    /// environments are sampled all along.)
    /// </summary>
    public async Task CollectAsync()
    {
        Scanner.Add("GET gatewaysync (JSON)", WithoutAppliedRepo((await Silo.GetAsync(ResourcePath)).Body));
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri(ResourcePath, UriKind.Relative)))
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/yaml"));
            using var response = await Silo.Http.SendAsync(request);
            Scanner.Add("GET gatewaysync (YAML)", WithoutAppliedRepo(await response.Content.ReadAsStringAsync()));
        }

        Scanner.Add("GET gatewaysyncs (list)", WithoutAppliedRepo((await Silo.GetAsync($"/apis/stoker.io/v1alpha1/namespaces/{Namespace}/gatewaysyncs")).Body));
        Scanner.Add("GET events", (await Silo.GetAsync($"/api/v1/namespaces/{Namespace}/events")).Body);
        foreach (var args in new[]
        {
            new[] { "get", "gs", CrName, "-n", Namespace, "-o", "yaml" },
            ["get", "gs", "-n", Namespace],
            ["describe", "gs", CrName, "-n", Namespace],
        })
        {
            var run = await CliProcess.RunAsync(Silo.Address, args, statePath: Silo.StatePath);
            Assert.True(run.ExitCode == 0, $"stoker {string.Join(' ', args)}: {run.Stdout}{run.Stderr}");
            var text = run.Stdout + run.Stderr;
            Scanner.Add("stoker " + string.Join(' ', args), args.Contains("yaml") ? WithoutAppliedRepo(text) : text);
        }

        Scanner.Add("silo /metrics", await Silo.GetStringAsync("/metrics"));
        foreach (var agent in _agents)
        {
            Scanner.Add($"agent {agent.Process.Id} /metrics", (await agent.GetAsync(agent.MetricsPort, "/metrics")).Body);
            Scanner.Add($"agent {agent.Process.Id} /healthz", (await agent.GetAsync(agent.HealthPort, "/healthz")).Body);
            Scanner.Add($"agent {agent.Process.Id} output", agent.Output);
        }

        Scanner.Add("silo output", Silo.Output);
        Scanner.AddFiles(Silo.StatePath, "audit.log*");
    }

    public string Diagnostics() =>
        $"--- silo ---\n{Silo.Output}\n" + string.Concat(_agents.Select(a => $"--- agent {a.Process.Id} ---\n{a.Output}\n"));

    public async ValueTask DisposeAsync()
    {
        await Scanner.DisposeAsync();
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        await Silo.DisposeAsync();
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        Temp.Dispose();
    }

    // Only the spec's own key: a URL under any other key (status, events) is still searched.
    private string WithoutAppliedRepo(string document) => AppliedRepoUrl is not { } url
        ? document
        : document.Replace($"\"repo\":\"{url}\"", "\"repo\":\"<as applied>\"", StringComparison.Ordinal)
            .Replace($"repo: {url}\n", "repo: <as applied>\n", StringComparison.Ordinal)
            .Replace($"repo: \"{url}\"\n", "repo: <as applied>\n", StringComparison.Ordinal)
            .Replace($"repo: '{url}'\n", "repo: <as applied>\n", StringComparison.Ordinal);

    private static IEnumerable<JsonNode> Conditions(JsonObject resource) =>
        resource["status"]?["conditions"] is JsonArray conditions ? conditions.OfType<JsonNode>() : [];
}
