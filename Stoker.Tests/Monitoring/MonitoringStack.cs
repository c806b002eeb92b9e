using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Stoker.IgnitionSimulator;
using Stoker.Silo.Admission;
using Stoker.Tests.Admission;
using Stoker.Tests.AgentRuntime;
using Stoker.Tests.EndToEnd;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Monitoring;

/// <summary>
/// What the dashboards watch, for real: a silo process (webhook receiver and admission webhook enabled), an Ignition
/// simulator with its agent process, a repository over smart HTTP, and a Prometheus scraping the silo and the agent
/// statically every second. Before Prometheus starts, the stack has produced every series the dashboards show: a
/// GatewaySync applied and synced, a signed push propagated to the agent, a pod reviewed by the injector.
/// </summary>
public sealed class MonitoringStack : IAsyncLifetime
{
    public const string Namespace = "mon";
    public const string CrName = "site";
    public const string GatewayName = "gw-a";
    public const string Profile = "alpha";
    private const string IgnitionToken = "stoker:monitoring-token";
    private const string HmacSecret = "monitoring-hmac-secret";
    private const string ResourcePath = $"/apis/stoker.io/v1alpha1/namespaces/{Namespace}/gatewaysyncs/{CrName}";

    private readonly TempDirectory _temp = new("monitoring");
    private SmartHttpGitServer? _git;
    private GatewaySimulator? _simulator;

    public SiloProcess Silo { get; private set; } = null!;

    public AgentProcessHost Agent { get; private set; } = null!;

    public PrometheusProcess Prometheus { get; private set; } = null!;

    /// <summary>The concrete value each dashboard variable takes in this stack.</summary>
    public static IReadOnlyDictionary<string, string> VariableValues { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["datasource"] = "prometheus",
        ["namespace"] = Namespace,
        ["gatewaysync"] = CrName,
        ["gateway"] = GatewayName,
        ["profile"] = Profile,
    };

    public string Diagnostics() =>
        $"--- silo ---\n{Silo?.Output}\n--- agent ---\n{Agent?.Output}\n--- prometheus ---\n{Prometheus?.Output}";

    public async Task InitializeAsync()
    {
        var repo = GitRepository.Create(_temp.Combine("repos", "site"));
        repo.WriteFile("projects/Alpha/project.json", "{\"title\":\"alpha\"}");
        var initial = repo.Commit("initial");
        _git = await SmartHttpGitServer.StartAsync(_temp.Combine("repos"));

        var certificates = _temp.Combine("webhook-cert");
        Directory.CreateDirectory(certificates);
        var thumbprint = TestCertificate.Write(certificates);
        var admissionPort = FreePort.Next();
        Silo = await SiloProcess.StartAsync(new SiloProcessSettings
        {
            Name = "monitoring",
            Environment = new Dictionary<string, string>
            {
                ["Stoker__Webhook__HmacSecret"] = HmacSecret,
                ["Stoker__Admission__Enabled"] = "true",
                ["Stoker__Admission__Port"] = admissionPort.ToString(CultureInfo.InvariantCulture),
                ["Stoker__Admission__BindAddress"] = "127.0.0.1",
                ["Stoker__Admission__CertificatePath"] = Path.Join(certificates, "tls.crt"),
                ["Stoker__Admission__KeyPath"] = Path.Join(certificates, "tls.key"),
                ["Stoker__Admission__SiloEndpoints"] = AdmissionHost.SiloEndpoints,
                ["DEFAULT_AGENT_IMAGE"] = AdmissionHost.DefaultImage,
            },
            StartTimeout = TimeSpan.FromSeconds(60),
        });

        await PutAsync(Resource(_git.UrlFor("site")));
        _simulator = await GatewaySimulator.StartAsync(new IgnitionSimulatorOptions { ApiToken = IgnitionToken, Urls = [new Uri("http://127.0.0.1:0")] });
        var tokenFile = _temp.Combine("ignition-token");
        await File.WriteAllTextAsync(tokenFile, IgnitionToken);
        var agentToken = await Silo.MintAgentTokenFileAsync($"{Namespace}/{CrName}/{GatewayName}", _temp.Combine("agent-token"));
        Agent = AgentProcessHost.Start(new Dictionary<string, string>
        {
            ["AGENT_TOKEN_FILE"] = agentToken,
            ["CR_NAME"] = CrName,
            ["CR_NAMESPACE"] = Namespace,
            ["POD_NAME"] = GatewayName + "-0",
            ["GATEWAY_NAME"] = GatewayName,
            ["PROFILE"] = Profile,
            ["REPO_PATH"] = _temp.Combine("agent-work"),
            ["GATEWAY_PORT"] = _simulator.BaseUrl.Port.ToString(CultureInfo.InvariantCulture),
            ["API_KEY_FILE"] = tokenFile,
            ["SILO_ENDPOINTS"] = "127.0.0.1:" + Silo.GatewayPort.ToString(CultureInfo.InvariantCulture),
            ["SILO_CA_FILE"] = Silo.CaFile,
            ["ORLEANS_CLUSTER_ID"] = Silo.ClusterId,
            ["ORLEANS_SERVICE_ID"] = Silo.ServiceId,
            ["HEARTBEAT_INTERVAL"] = "1",
            ["POST_COMMISSION_INTERVAL"] = "1",
        }, _temp.Combine("agent-data"));
        await WaitForSyncedAsync(initial, "the agent synced the initial commit");

        // A signed push: the gateway grain times the new desired state until the agent reports it Synced.
        var pushed = SitePushes.CommitProject(repo, "Beta");
        var status = await SitePushes.PushAsync(Silo.Http, Namespace, CrName, pushed, HmacSecret);
        Assert.True(status == HttpStatusCode.Accepted, $"webhook answered {status}\n{Diagnostics()}");
        await WaitForSyncedAsync(pushed, "the agent synced the pushed commit");

        // A pod the injector reviews and leaves alone (not annotated): counted as skipped.
        await ReviewPodAsync(admissionPort, thumbprint);

        Prometheus = await PrometheusProcess.StartAsync(new Dictionary<string, string>
        {
            ["stoker-silo"] = $"127.0.0.1:{Silo.HttpPort}",
            ["stoker-agent"] = $"127.0.0.1:{Agent.MetricsPort}",
        });
    }

    public async Task DisposeAsync()
    {
        if (Prometheus is not null)
        {
            await Prometheus.DisposeAsync();
        }

        if (Agent is not null)
        {
            await Agent.DisposeAsync();
        }

        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }

        if (Silo is not null)
        {
            await Silo.DisposeAsync();
        }

        if (_git is not null)
        {
            await _git.DisposeAsync();
        }

        _temp.Dispose();
    }

    private static string Resource(string repoUrl) => $"""
        apiVersion: stoker.io/v1alpha1
        kind: GatewaySync
        metadata:
          name: {CrName}
          namespace: {Namespace}
        spec:
          git:
            repo: "{repoUrl}"
            ref: "main"
          polling:
            enabled: false
          gateway:
            api:
              secretName: ignition-api-key
          sync:
            profiles:
              {Profile}:
                syncPeriod: 5
                mappings:
                  - source: projects
                    destination: projects
        """;

    private async Task PutAsync(string yaml)
    {
        using var content = new StringContent(yaml, Encoding.UTF8, "application/yaml");
        using var response = await Silo.Http.PutAsync(new Uri(ResourcePath, UriKind.Relative), content);
        Assert.True(response.IsSuccessStatusCode, $"PUT {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{Silo.Output}");
    }

    private Task WaitForSyncedAsync(string commit, string what) =>
        Eventually.Until(
            async () => JsonDocument.Parse(await Silo.Http.GetStringAsync(new Uri(ResourcePath, UriKind.Relative))).RootElement.Clone(),
            r => r.TryGetProperty("status", out var s) && s.TryGetProperty("discoveredGateways", out var gateways)
                && gateways.EnumerateArray().Any(g => g.TryGetProperty("syncedCommit", out var c) && c.GetString() == commit
                    && g.TryGetProperty("syncStatus", out var state) && state.GetString() == "Synced"),
            TimeSpan.FromSeconds(90), what + "\n" + Diagnostics());

    private async Task ReviewPodAsync(int port, string thumbprint)
    {
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate?.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256) == thumbprint,
        };
        using var https = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}") };
        var review = await File.ReadAllTextAsync(Path.Combine(AdmissionFixture.Folder, "Inject", "01-not-annotated.request.json"));
        using var response = await https.PostAsync(new Uri(AdmissionEndpoint.MutatePodPath, UriKind.Relative), new StringContent(review, Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"admission review answered {response.StatusCode}\n{Diagnostics()}");
    }
}
