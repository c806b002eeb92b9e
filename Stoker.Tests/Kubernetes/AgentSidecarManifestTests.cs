using System.Globalization;
using System.Text.Json.Nodes;
using Stoker.AgentClient.Runtime;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Kubernetes;

/// <summary>
/// The example gateway's agent sidecar: a native sidecar sharing the gateway's data volume, whose settings
/// <c>stoker-agent run</c> accepts and which name the silo's gateway Service, a GatewaySync of the manifests folder,
/// one of its profiles, and the Secrets that GatewaySync names.
/// </summary>
public sealed class AgentSidecarManifestTests : IDisposable
{
    private readonly TempDirectory _temp = new("k8s-agent");
    private readonly ManifestSet _all = ManifestSet.Everything();
    private readonly Workload _gateway;
    private readonly JsonObject _agent;
    private readonly PodFileSystem _files;
    private readonly Dictionary<string, string> _environment;

    public AgentSidecarManifestTests()
    {
        _gateway = _all.Workload("StatefulSet", "ignition", "ignition");
        _agent = _gateway.Container("stoker-agent");
        _files = PodFileSystem.Materialize(_all, _gateway, _agent, _temp.Path);
        _environment = PodEnvironment.Resolve(_all, _gateway, _agent, PodEnvironment.Fields(_gateway, "ignition-0", "192.0.2.20"));
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>The environment with SILO_ENDPOINTS' cluster DNS name (which resolves only inside a cluster) replaced by loopback.</summary>
    private Dictionary<string, string> Resolvable() => new(_environment, StringComparer.Ordinal)
    {
        ["SILO_ENDPOINTS"] = string.Join(',', _environment["SILO_ENDPOINTS"].Split(',').Select(e => "127.0.0.1:" + e.Split(':')[1])),
    };

    [Fact]
    public void Environment_IsReadByTheAgentsOwnParser_AndPassesItsChecks()
    {
        var settings = AgentSettings.Read(Resolvable(), _files, out var problems);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.NotNull(settings);
        Assert.Equal("ignition-0", settings.Agent.GatewayName);
        Assert.Equal("ignition", settings.Agent.CrNamespace);
        Assert.NotNull(settings.Ignition.ApiToken);
        Assert.NotNull(settings.GitCredentials);
        Assert.Equal(new Uri("http://localhost:8088/"), settings.Ignition.BaseUrl);
    }

    [Theory]
    [InlineData("SILO_ENDPOINT", "127.0.0.1:30000", "SILO_ENDPOINT: not a setting")]
    [InlineData("Stoker__Agent__Profile", "standard", "not a setting")]
    [InlineData("HEALTH_PORT", "eighty", "HEALTH_PORT")]
    [InlineData("SILO_ENDPOINTS", "stoker-silo-gateway", "SILO_ENDPOINTS")]
    [InlineData("GATEWAY_TLS", "yes", "GATEWAY_TLS")]
    [InlineData("API_KEY_FILE", "/etc/stoker/api-key/api-key", "API_KEY_FILE")]
    [InlineData("API_KEY_FILE", "/run/secrets/api-key", "not on a volume")]
    [InlineData("GIT_TOKEN_FILE", "/etc/stoker/git-token/tokn", "GIT_TOKEN_FILE")]
    [InlineData("REPO_PATH", "/repo", "REPO_PATH: \"/repo\": must be on a writable volume")]
    [InlineData("DATA_PATH", "/etc/stoker/api-key", "DATA_PATH")]
    public void Environment_ATypoOrABadValue_IsCaughtNamingIt(string name, string value, string expected)
    {
        var environment = new Dictionary<string, string>(Resolvable(), StringComparer.Ordinal) { [name] = value };
        Assert.Null(AgentSettings.Read(environment, _files, out var problems));
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Sidecar_IsANativeSidecar_SharingTheGatewaysDataVolume_AsTheGatewaysUser()
    {
        Assert.True(_gateway.IsInit(_agent), "the agent must be an init container (a native sidecar)");
        Assert.Equal("Always", ManifestObject.Str(_agent["restartPolicy"]));
        Assert.Equal("stoker-agent", ManifestObject.Str(((JsonArray)_gateway.PodSpec["initContainers"]!)[0]!["name"]));

        var ignition = _gateway.Container("ignition");
        var dataMount = Workload.VolumeMounts(_agent).Single(m => ManifestObject.Str(m["mountPath"]) == _environment["DATA_PATH"]);
        var volume = ManifestObject.Str(dataMount["name"]);
        Assert.Contains(Workload.VolumeMounts(ignition), m => ManifestObject.Str(m["name"]) == volume && ManifestObject.Str(m["mountPath"]) == "/usr/local/bin/ignition/data");
        Assert.Equal("persistentVolumeClaim", _files.MountOf(_environment["DATA_PATH"])!.VolumeKind);

        // Files the agent writes belong to the gateway's user and group (the Ignition image's 2003, as in docker-compose.yml).
        Assert.Equal(2003, ManifestObject.Int(_agent["securityContext"]!["runAsUser"]));
        Assert.Equal(2003, ManifestObject.Int(_agent["securityContext"]!["runAsGroup"]));
        Assert.Equal(2003, ManifestObject.Int(_gateway.PodSpec["securityContext"]!["fsGroup"]));

        // The gateway's system name is the pod's name, as is the agent's gateway name (GATEWAY_NAME defaults to POD_NAME).
        Assert.Equal(["-n", "$(POD_NAME)", "-h", _environment["GATEWAY_PORT"]], Workload.Args(ignition));
        Assert.DoesNotContain("GATEWAY_NAME", _environment.Keys);
    }

    [Fact]
    public void Ports_AndProbes_AreTheAgentsHealthAndMetricsEndpoints()
    {
        var settings = AgentSettings.ReadOrThrow(Resolvable(), _files);
        Assert.Equal(settings.Agent.HealthPort, Workload.ContainerPort(_agent, JsonValue.Create("agent-health")));
        Assert.Equal(settings.Agent.MetricsPort, Workload.ContainerPort(_agent, JsonValue.Create("agent-metrics")));
        Assert.Equal(settings.Agent.MetricsPort.ToString(CultureInfo.InvariantCulture), ManifestObject.Str(_gateway.Template["metadata"]!["annotations"]!["prometheus.io/port"]));

        // Stoker.AgentClient/Cli/RunCommand.cs maps these three; ManifestsRunTests sees an agent started from this manifest answer them.
        var probes = Workload.Probes(_agent).ToDictionary(p => p.Kind, p => p.Probe);
        Assert.Equal("/startupz", ManifestObject.Str(probes["startupProbe"]["httpGet"]!["path"]));
        Assert.Equal("/healthz", ManifestObject.Str(probes["livenessProbe"]["httpGet"]!["path"]));
        Assert.Equal("/readyz", ManifestObject.Str(probes["readinessProbe"]["httpGet"]!["path"]));
        Assert.All(probes.Values, p => Assert.Equal(settings.Agent.HealthPort, Workload.ContainerPort(_agent, p["httpGet"]!["port"])));

        // The startup probe gives the first sync time (the gateway starts only after it passes).
        var startup = probes["startupProbe"];
        Assert.True(ManifestObject.Int(startup["periodSeconds"]) * ManifestObject.Int(startup["failureThreshold"]) >= 300);

        // The agent calls the gateway on localhost at the gateway's HTTP port.
        Assert.Equal(settings.Ignition.BaseUrl.Port, Workload.ContainerPort(_gateway.Container("ignition"), JsonValue.Create("http")));
    }

    [Fact]
    public void SiloEndpoints_NameTheSilosGatewayService_AndTheClusterMatchesTheSilos()
    {
        var siloWorkload = _all.Workload("StatefulSet", ManifestSet.SystemNamespace, "stoker-silo");
        var siloContainer = siloWorkload.Container("silo");
        var siloEnvironment = PodEnvironment.Resolve(_all, siloWorkload, siloContainer, PodEnvironment.Fields(siloWorkload, "stoker-silo-0", "192.0.2.10"));
        using var siloFiles = new TempDirectory("k8s-silo");
        var silo = SiloSettings.BindOrThrow(siloEnvironment, PodFileSystem.Materialize(_all, siloWorkload, siloContainer, siloFiles.Path).HostPath);

        foreach (var endpoint in _environment["SILO_ENDPOINTS"].Split(','))
        {
            var (host, port) = (endpoint.Split(':')[0], int.Parse(endpoint.Split(':')[1], CultureInfo.InvariantCulture));
            var labels = host.Split('.');
            Assert.True(labels.Length >= 3 && labels[2] == "svc", $"SILO_ENDPOINTS {endpoint}: expected <service>.<namespace>.svc[.<cluster domain>]");
            var service = _all.Find("Service", labels[1], labels[0]);
            Assert.True(service is not null, $"SILO_ENDPOINTS {endpoint}: no Service {labels[1]}/{labels[0]}");
            Assert.NotEqual("None", ManifestObject.Str(service.Node["spec"]!["clusterIP"]));
            var servicePort = ((JsonArray)service.Node["spec"]!["ports"]!).Cast<JsonObject>().Single(p => ManifestObject.Int(p["port"]) == port);
            Assert.Equal(silo.Silo.GatewayPort, Workload.ContainerPort(siloContainer, servicePort["targetPort"]));
        }

        var agent = AgentSettings.ReadOrThrow(Resolvable(), _files);
        Assert.Equal(silo.Silo.ClusterId, agent.Agent.ClusterId);
        Assert.Equal(silo.Silo.ServiceId, agent.Agent.ServiceId);
    }

    [Fact]
    public void GatewaySync_TheAgentNamesIsInTheManifestsFolder_WithItsProfile_PortAndSecrets()
    {
        var agent = AgentSettings.ReadOrThrow(Resolvable(), _files).Agent;
        var resource = SiloManifestTests.GatewaySyncs().SingleOrDefault(r => r.Metadata.Name == agent.CrName && r.Metadata.Namespace == agent.CrNamespace);
        Assert.True(resource is not null, $"no GatewaySync {agent.CrNamespace}/{agent.CrName} in the stoker-manifests ConfigMap");
        Assert.True(agent.Profile is not null && resource.Spec.Sync.Profiles.ContainsKey(agent.Profile), $"PROFILE {agent.Profile} is not a profile of {resource.Metadata.Name}");
        Assert.Equal(resource.Spec.Gateway.Port.ToString(CultureInfo.InvariantCulture), _environment["GATEWAY_PORT"]);
        Assert.Equal(resource.Spec.Gateway.Tls, _environment.TryGetValue("GATEWAY_TLS", out var tls) && bool.Parse(tls));
        Assert.Equal(agent.CrNamespace, _gateway.Namespace);

        // API_KEY_FILE is the key spec.gateway.api names, in the Secret spec.gateway.api names.
        Assert.Equal(MountOfSecret(resource.Spec.Gateway.Api.SecretName) + "/" + resource.Spec.Gateway.Api.SecretKey, _environment["API_KEY_FILE"]);
        if (resource.Spec.Git.Auth?.Token is { } token)
        {
            Assert.Equal(MountOfSecret(token.SecretRef.Name) + "/" + token.SecretRef.Key, _environment["GIT_TOKEN_FILE"]);
        }
        else
        {
            Assert.DoesNotContain("GIT_TOKEN_FILE", _environment.Keys);
        }
    }

    [Fact]
    public void Settings_TheAgentReads_AreAllKnownToItsHelp()
    {
        // The help text is the list the check above holds names against: it must cover what Parse reads.
        var help = AgentOptions.Settings.Select(s => s.Variable).ToHashSet();
        Assert.Contains("ORLEANS_CLUSTER_ID", help);
        Assert.Contains("GIT_TOKEN_FILE", help);
        Assert.Contains("API_KEY_FILE", help);
        Assert.All(_environment.Keys, k => Assert.Contains(k, help));
    }

    private string MountOfSecret(string secretName)
    {
        var volume = _gateway.Volumes().Values.Single(v => ManifestObject.Str(v["secret"]?["secretName"]) == secretName);
        return ManifestObject.Str(Workload.VolumeMounts(_agent).Single(m => ManifestObject.Str(m["name"]) == ManifestObject.Str(volume["name"]))["mountPath"])!;
    }
}
