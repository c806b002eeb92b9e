using System.Text.Json.Nodes;
using Stoker.IgnitionSimulator;
using Stoker.Tests.AgentRuntime;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Kubernetes;

/// <summary>
/// The manifests run: two silo processes and one agent process, each started with the environment, arguments and
/// files (ConfigMap, Secrets) their pod would get, on PostgreSQL as in the cluster. Only what a pod has and a test
/// process cannot are stood in for: the pod IP (127.0.0.1 for every pod), ports (free ones: all pods share one host
/// here), the database (a test database), the gateway (the Ignition simulator) and the repository URL (a local
/// smart-HTTP server requiring the manifests' git token, so no traffic leaves the machine).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ManifestsRunTests(PostgresServer postgres)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task TwoSilosAndAnAgent_StartedAsTheManifestsDescribe_SyncTheConfigMapsGatewaySync()
    {
        using var temp = new TempDirectory("k8s-run");
        var all = ManifestSet.Everything();
        var resource = SiloManifestTests.GatewaySyncs().Single();
        var ns = resource.Metadata.Namespace!;
        var token = all.Data("Secret", ns, resource.Spec.Git.Auth!.Token!.SecretRef.Name)![resource.Spec.Git.Auth.Token.SecretRef.Key];
        var apiKey = all.Data("Secret", ns, resource.Spec.Gateway.Api.SecretName)![resource.Spec.Gateway.Api.SecretKey];

        var repo = GitRepository.Create(temp.Combine("repos", "ignition-config"));
        repo.WriteFile("projects/Plant/project.json", "{\"title\":\"plant\"}");
        var commit = repo.Commit("initial");
        await using var git = await SmartHttpGitServer.StartAsync(temp.Combine("repos"), ("x-access-token", token));
        var connectionString = await postgres.CreateDatabaseAsync("k8s_run_" + Guid.NewGuid().ToString("N")[..8]);

        var silos = new List<SiloProcess>();
        AgentProcessHost? agent = null;
        GatewaySimulator? simulator = null;
        string Diagnostics() => string.Join("\n", silos.Select(s => $"--- {s.Name} ---\n{s.Output}")) + $"\n--- agent ---\n{agent?.Output}";
        try
        {
            var siloWorkload = all.Workload("StatefulSet", ManifestSet.SystemNamespace, "stoker-silo");
            var replicas = ManifestObject.Int(siloWorkload.Owner.Node["spec"]!["replicas"]);
            Assert.Equal(2, replicas);
            for (var i = 0; i < replicas; i++)
            {
                silos.Add(StartSiloPod(all, siloWorkload, $"stoker-silo-{i}", temp.Combine($"stoker-silo-{i}"), connectionString, resource.Spec.Git.Repo, git.UrlFor("ignition-config")));
            }

            // Every probe the manifest gives the silo answers 200 on both replicas; an unknown path does not.
            var siloProbes = Workload.Probes(siloWorkload.Container("silo")).Select(p => ManifestObject.Str(p.Probe["httpGet"]!["path"])!).Distinct().ToList();
            foreach (var silo in silos)
            {
                foreach (var path in siloProbes)
                {
                    await Eventually.Until(() => silo.StatusAsync(path), s => s == 200, StartTimeout, $"{silo.Name} {path}\n{Diagnostics()}");
                }

                Assert.Equal(404, await silo.StatusAsync("/no-such-probe"));
                Assert.Equal(200, await silo.StatusAsync("/metrics"));
            }

            // The manifests folder (the ConfigMap) applied the GatewaySync; either silo serves it.
            var resourcePath = $"/apis/stoker.io/v1alpha1/namespaces/{ns}/gatewaysyncs/{resource.Metadata.Name}";
            foreach (var silo in silos)
            {
                await Eventually.Until(() => silo.StatusAsync(resourcePath), s => s == 200, SyncTimeout, $"{resourcePath} on {silo.Name}\n{Diagnostics()}");
            }

            // The agent of ignition-0, talking to the second silo's gateway port, beside a simulated gateway.
            var gateway = all.Workload("StatefulSet", ns, "ignition");
            var agentContainer = gateway.Container("stoker-agent");
            var files = PodFileSystem.Materialize(all, gateway, agentContainer, temp.Combine("ignition-0"));
            var environment = files.MapPaths(PodEnvironment.Resolve(all, gateway, agentContainer, PodEnvironment.Fields(gateway, "ignition-0", "127.0.0.1")));
            simulator = await GatewaySimulator.StartAsync(new IgnitionSimulatorOptions { ApiToken = apiKey, Urls = [new Uri("http://127.0.0.1:0")], GatewayName = "ignition-0" });
            environment["GATEWAY_PORT"] = PodEnvironment.Port(simulator.BaseUrl.Port);
            environment["SILO_ENDPOINTS"] = "127.0.0.1:" + PodEnvironment.Port(silos[1].GatewayPort);
            agent = AgentProcessHost.Start(environment, environment["DATA_PATH"]);

            await Eventually.Until(() => Task.FromResult(File.Exists(Path.Join(agent.DataPath, "projects", "Plant", "project.json"))), b => b, SyncTimeout,
                "projects/Plant/project.json in the gateway's data volume\n" + Diagnostics());
            foreach (var (_, probe) in Workload.Probes(agentContainer))
            {
                var path = ManifestObject.Str(probe["httpGet"]!["path"])!;
                await Eventually.Until(() => agent.GetAsync(agent.HealthPort, path), r => r.Status == 200, SyncTimeout, $"agent {path}\n{Diagnostics()}");
            }

            var status = await Eventually.Until(
                async () => JsonNode.Parse(await silos[0].GetStringAsync(resourcePath))!,
                r => r["status"]?["discoveredGateways"] is JsonArray gateways && gateways.Any(g =>
                    ManifestObject.Str(g!["name"]) == "ignition-0" && ManifestObject.Str(g["syncStatus"]) == "Synced" && ManifestObject.Str(g["syncedCommit"]) == commit),
                SyncTimeout, "ignition-0 Synced on the initial commit, as the first silo reports it\n" + Diagnostics());
            var reported = ((JsonArray)status["status"]!["discoveredGateways"]!).Single()!;
            Assert.Equal("standard", ManifestObject.Str(reported["profile"]));
            Assert.Equal(ns, ManifestObject.Str(reported["namespace"]));
        }
        finally
        {
            if (agent is not null)
            {
                await agent.DisposeAsync();
            }

            if (simulator is not null)
            {
                await simulator.DisposeAsync();
            }

            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    /// <summary>A silo process started as its pod would be: the pod's environment, arguments and files, on free ports.</summary>
    private static SiloProcess StartSiloPod(ManifestSet all, Workload workload, string podName, string root, string connectionString, string repoInManifest, string repoUrl)
    {
        var container = workload.Container("silo");
        var files = PodFileSystem.Materialize(all, workload, container, root);
        var environment = files.MapPaths(PodEnvironment.Resolve(all, workload, container, PodEnvironment.Fields(workload, podName, "127.0.0.1")));

        // The ConfigMap's manifests as mounted, but pointing at the test's own repository.
        var manifests = environment["Stoker__Manifests__Path"];
        Assert.True(Directory.Exists(manifests), "the manifests folder is a mounted volume");
        foreach (var file in Directory.EnumerateFiles(manifests))
        {
            var text = File.ReadAllText(file);
            Assert.Contains(repoInManifest, text, StringComparison.Ordinal);
            File.WriteAllText(file, text.Replace(repoInManifest, repoUrl, StringComparison.Ordinal));
        }

        // The pod's ports give way to free ones (SiloProcess sets them and --urls' address).
        environment["Stoker__Storage__ConnectionString"] = connectionString;
        var args = Workload.Args(container).ToList();
        Assert.True(args.IndexOf("--urls") >= 0, "the silo's args give --urls");

        // Only the pod's environment configures the silo.
        return SiloProcess.Start(new SiloProcessSettings { Name = podName, Environment = environment, Arguments = args, HttpTimeout = TimeSpan.FromSeconds(10) });
    }
}
