using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Stoker.AgentClient.Runtime;
using Stoker.Demo.Plan;
using Stoker.Silo.Api;
using Stoker.Silo.Dashboard;
using Stoker.Silo.Hosting;
using Stoker.Silo.Persistence;
using Stoker.Silo.Webhooks;
using YamlDotNet.RepresentationModel;

namespace Stoker.Tests.Demo;

/// <summary>
/// docker-compose.yml cannot be run here (no Docker engine), so it is held to what is tested: Debian's
/// <c>docker-compose config</c> accepts it, and each service runs what the native demo runs (DemoPlan for the compose
/// topology), with the silo's real option names and the ports the native demo and the docs use.
/// </summary>
public sealed class ComposeTests
{
    private static readonly DemoTopology Topology = DemoTopology.Compose;
    private readonly ComposeFile _compose = ComposeFile.Load(Checkout.Combine("docker-compose.yml"));

    [Fact]
    public async Task DockerComposeConfig_ComposeFile_IsAccepted()
    {
        // scripts/install-deps.sh installs Debian's docker-compose, which validates and resolves the file offline.
        var result = await Stoker.Demo.Processes.Command.RunAsync("docker-compose", ["-f", "docker-compose.yml", "config", "-q"], TimeSpan.FromMinutes(1), Checkout.Root);
        Assert.True(result.Succeeded, $"docker-compose config exited with {result.ExitCode}: {result.Output}");
    }

    [Fact]
    public void Services_CommandsAndEnvironment_MatchTheNativeDemoPlan()
    {
        foreach (var planned in DemoPlan.All(Topology))
        {
            var service = _compose.Service(planned.Name);
            Assert.Equal(planned.Args, ComposeFile.List(service, "command"));
            Assert.Equal(planned.Environment.OrderBy(p => p.Key), ComposeFile.Environment(service).OrderBy(p => p.Key));
        }

        // The real gateway takes the place of the simulator for north; its agent runs beside it like a pod's sidecar.
        Assert.DoesNotContain(DemoPlan.All(Topology), s => s.Name == "gateway-north");
        var north = _compose.Service("gateway-north");
        Assert.StartsWith("inductiveautomation/ignition:8.3", ComposeFile.Scalar(north, "image"), StringComparison.Ordinal);
        var ignitionEnvironment = ComposeFile.Environment(north);
        Assert.Equal("Y", ignitionEnvironment["ACCEPT_IGNITION_EULA"]);
        Assert.Contains("GATEWAY_ADMIN_PASSWORD", ignitionEnvironment.Keys);
        Assert.Contains("IGNITION_EDITION", ignitionEnvironment.Keys);
        foreach (var gateway in Topology.Gateways)
        {
            var gatewayService = DemoPlan.GatewayService(gateway);
            var agent = _compose.Service(DemoPlan.AgentService(gateway));
            Assert.Equal($"service:{gatewayService}", ComposeFile.Scalar(agent, "network_mode"));
            var dataVolume = ComposeFile.List(agent, "volumes").Single(v => v.EndsWith(":" + gateway.DataPath, StringComparison.Ordinal)).Split(':')[0];
            var gatewayDataPath = gateway.Simulated ? gateway.DataPath : "/usr/local/bin/ignition/data";
            Assert.Contains($"{dataVolume}:{gatewayDataPath}", ComposeFile.List(_compose.Service(gatewayService), "volumes"));
        }
    }

    [Fact]
    public void PublishedPorts_AreTheNativeDemosDefaults()
    {
        var native = DemoPorts.Defaults;
        var north = Topology.Gateways[0];
        var south = Topology.Gateways[1];
        Assert.Equal([$"{native.SiloHttp}:{Topology.SiloHttpPort}", $"{native.SiloHttps}:{Topology.SiloHttpsPort}"], ComposeFile.List(_compose.Service("silo"), "ports"));
        Assert.Equal([$"{native.Git}:{Topology.GitPort}"], ComposeFile.List(_compose.Service("git-server"), "ports"));
        Assert.Equal(
            [$"{native.NorthGateway}:{north.Port}", $"{native.NorthHealth}:{north.HealthPort}", $"{native.NorthMetrics}:{north.MetricsPort}"],
            ComposeFile.List(_compose.Service("gateway-north"), "ports"));
        Assert.Equal(
            [$"{native.SouthGateway}:{south.Port}", $"{native.SouthHealth}:{south.HealthPort}", $"{native.SouthMetrics}:{south.MetricsPort}"],
            ComposeFile.List(_compose.Service("gateway-south"), "ports"));

        // The ports the docs list are the ones published.
        var header = string.Join('\n', File.ReadLines(Checkout.Combine("docker-compose.yml")).TakeWhile(l => l.StartsWith('#')));
        foreach (var port in new[] { native.SiloHttp, native.NorthGateway, native.SouthGateway, native.NorthHealth, native.NorthMetrics, native.SouthHealth, native.SouthMetrics, native.Git })
        {
            Assert.Contains(port.ToString(CultureInfo.InvariantCulture), header, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void SiloEnvironment_BindsToTheSilosOptions_AndAgentsReachItsGatewayPort()
    {
        var environment = ComposeFile.Environment(_compose.Service("silo"));
        var sections = new Dictionary<string, Type>
        {
            [StokerSiloOptions.SectionName] = typeof(StokerSiloOptions),
            [StokerStorageOptions.SectionName] = typeof(StokerStorageOptions),
            [WebhookReceiverOptions.SectionName] = typeof(WebhookReceiverOptions),
            [DashboardOptions.SectionName] = typeof(DashboardOptions),
            [ManifestsOptions.SectionName] = typeof(ManifestsOptions),
            [Stoker.Silo.Authentication.ApiAuthenticationOptions.SectionName] = typeof(Stoker.Silo.Authentication.ApiAuthenticationOptions),
        };
        foreach (var key in environment.Keys)
        {
            var parts = key.Split("__");
            Assert.True(parts.Length >= 3, $"{key}: expected Stoker__Section__Property");
            var section = string.Join(':', parts[..^1]);
            Assert.True(sections.TryGetValue(section, out var type), $"{key}: no options section {section}");
            Assert.True(type!.GetProperty(parts[^1]) is { CanWrite: true }, $"{key}: {type.Name} has no settable property {parts[^1]}");
        }

        // Bound the way the silo binds them, the settings pass the silo's own validation.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(environment.Select(p => KeyValuePair.Create(p.Key.Replace("__", ":", StringComparison.Ordinal), (string?)p.Value))).Build();
        var silo = configuration.GetSection(StokerSiloOptions.SectionName).Get<StokerSiloOptions>()!;
        Assert.True(new StokerSiloOptionsValidator().Validate(null, silo).Succeeded);
        Assert.Equal(Topology.SiloGatewayPort, silo.GatewayPort);
        Assert.NotNull(configuration.GetSection(StokerStorageOptions.SectionName).Get<StokerStorageOptions>()?.ConnectionString);
        Assert.False(string.IsNullOrEmpty(configuration.GetSection(WebhookReceiverOptions.SectionName).Get<WebhookReceiverOptions>()?.HmacSecret));

        // The advertised address is the silo's fixed address on the demo network, and agents connect to its gateway port.
        var networks = (YamlMappingNode)ComposeFile.Child(_compose.Service("silo"), "networks")!;
        Assert.Equal(silo.AdvertisedAddress, ComposeFile.Scalar((YamlMappingNode)ComposeFile.Child(networks, "default")!, "ipv4_address"));
        var known = AgentOptions.Settings.Select(s => s.Variable).ToHashSet();
        foreach (var gateway in Topology.Gateways)
        {
            var agent = ComposeFile.Environment(_compose.Service(DemoPlan.AgentService(gateway)));
            Assert.All(agent.Keys, key => Assert.Contains(key, known));
            Assert.Equal($"silo:{silo.GatewayPort}", agent["SILO_ENDPOINTS"]);

            // Agents trust the CA the silo creates in its state folder's tls/, a volume they mount read-only.
            var siloTls = ComposeFile.List(_compose.Service("silo"), "volumes").Single(v => v.EndsWith(":" + Path.GetDirectoryName(Stoker.Grains.Interfaces.Security.StokerStateFolder.CaCertificateFile(silo.EffectiveStatePath)), StringComparison.Ordinal)).Split(':')[0];
            Assert.Contains($"{siloTls}:{Path.GetDirectoryName(agent["SILO_CA_FILE"])}:ro", ComposeFile.List(_compose.Service(DemoPlan.AgentService(gateway)), "volumes"));
            Assert.Equal("ca.crt", Path.GetFileName(agent["SILO_CA_FILE"]));
            Assert.Equal(silo.ClusterId, agent["ORLEANS_CLUSTER_ID"]);
            Assert.Equal(silo.ServiceId, agent["ORLEANS_SERVICE_ID"]);
        }
    }

    [Fact]
    public void NativeTopology_AgentsCaFile_IsTheCaTheSiloCreatesInItsStateFolder()
    {
        var native = DemoTopology.Native("/repo", "/work", DemoPorts.Defaults, "x", null);

        Assert.Equal(Stoker.Grains.Interfaces.Security.StokerStateFolder.CaCertificateFile(native.SiloStatePath), native.SiloCaFile);
        Assert.StartsWith("/work/", native.SiloStatePath, StringComparison.Ordinal);
    }

    [Fact]
    public void Dockerfiles_DefaultCommands_AreThePlans()
    {
        Assert.Equal(DemoPlan.Silo(Topology).Args, JsonArray("silo.Dockerfile", "CMD"));
        Assert.Equal(["dotnet", "/app/stoker-silo.dll"], JsonArray("silo.Dockerfile", "ENTRYPOINT"));
        Assert.Equal(DemoPlan.Agent(Topology, Topology.Gateways[1]).Args, JsonArray("agent.Dockerfile", "CMD"));
        Assert.Equal(["dotnet", "/app/stoker-agent.dll"], JsonArray("agent.Dockerfile", "ENTRYPOINT"));
        Assert.Equal(DemoPlan.GitServer(Topology).Args, JsonArray("git-server.Dockerfile", "CMD"));
        Assert.Equal(["dotnet", "/app/cli/stoker.dll"], ComposeFile.List(_compose.Service(DemoPlan.ApplyService), "entrypoint"));

        foreach (var file in new[] { "silo.Dockerfile", "agent.Dockerfile", "simulator.Dockerfile", "git-server.Dockerfile" })
        {
            var text = File.ReadAllText(Checkout.Combine("deploy", file));
            Assert.Contains("HEALTHCHECK", text, StringComparison.Ordinal);
            Assert.Matches(@"(?m)^USER (\$APP_UID|git)$", text);
        }

        Assert.Matches(@"apt-get install[^\n]*\bgit\b[^\n]*\bopenssh-client\b", File.ReadAllText(Checkout.Combine("deploy", "agent.Dockerfile")));
    }

    [Fact]
    public void SampleGatewaySync_NamesComposesGitServer()
    {
        Assert.Equal(DemoNames.ComposeRepositoryUrl, Topology.RepositoryUrl);
        Assert.Contains($"repo: \"{DemoNames.ComposeRepositoryUrl}\"", File.ReadAllText(Checkout.Combine("demo", "gatewaysync.yaml")), StringComparison.Ordinal);
    }

    private static string[] JsonArray(string dockerfile, string instruction)
    {
        var line = File.ReadLines(Checkout.Combine("deploy", dockerfile)).Single(l => l.StartsWith(instruction + " ", StringComparison.Ordinal));
        return JsonSerializer.Deserialize<string[]>(line[(instruction.Length + 1)..])!;
    }
}
