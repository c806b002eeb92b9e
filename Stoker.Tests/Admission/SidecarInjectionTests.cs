using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stoker.AgentClient.Ignition;
using Stoker.AgentClient.Runtime;
using Stoker.Silo.Admission;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Admission;

/// <summary>
/// Every injection situation as an AdmissionReview fixture (Fixtures/Admission/Inject/NAME.request.json) posted over
/// HTTPS to the real webhook endpoint; the answer (allowed, status code and message, the exact JSON Patch) must equal
/// NAME.expected.json. Set STOKER_WRITE_ADMISSION_FIXTURES=1 to write a missing expected file from the answer, then
/// read it before committing it.
/// </summary>
public sealed class SidecarInjectionTests(AdmissionFixture fixture) : IClassFixture<AdmissionFixture>
{
    private static readonly string InjectFolder = Path.Combine(AdmissionFixture.Folder, "Inject");

    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(InjectFolder, "*.request.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file)[..^".request.json".Length]);
        }

        return data;
    }

    [Fact]
    public void Scenarios_CoverTheDecisionFlow() => Assert.True(Scenarios().Count >= 22, $"{Scenarios().Count} scenarios");

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Mutate_Fixture_AnswersTheExpectedPatch(string scenario)
    {
        var request = await File.ReadAllTextAsync(Path.Combine(InjectFolder, scenario + ".request.json"));

        var review = await PostAsync(request);

        var actual = AdmissionWire.Summary(review);
        Assert.Equal("admission.k8s.io/v1", (string?)review["apiVersion"]);
        Assert.Equal("AdmissionReview", (string?)review["kind"]);
        Assert.Equal(JsonNode.Parse(request)!["request"]!["uid"]!.GetValue<string>(), (string?)review["response"]!["uid"]);
        var expectedPath = Path.Combine(InjectFolder, scenario + ".expected.json");
        if (!File.Exists(expectedPath) && Environment.GetEnvironmentVariable("STOKER_WRITE_ADMISSION_FIXTURES") == "1")
        {
            await File.WriteAllTextAsync(Path.Combine(SourceFolder(), "Fixtures", "Admission", "Inject", scenario + ".expected.json"),
                actual.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
        }

        var expected = JsonNode.Parse(await File.ReadAllTextAsync(expectedPath));
        Assert.True(JsonNode.DeepEquals(expected, actual), $"{scenario}:\nexpected {expected!.ToJsonString()}\nactual   {actual.ToJsonString()}");
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Mutate_PatchedPod_HasExactlyOneAgentFirstWithItsVolumes(string scenario)
    {
        var request = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(InjectFolder, scenario + ".request.json")))!.AsObject();
        var summary = AdmissionWire.Summary(await PostAsync(request.ToJsonString()));
        var pod = request["request"]!["object"]!.AsObject();
        if (summary["patch"] is not JsonArray patch)
        {
            return;
        }

        var patched = AdmissionWire.Apply(pod, patch);

        Assert.Equal("JSONPatch", (string?)summary["patchType"]);
        var init = patched["spec"]!["initContainers"]!.AsArray();
        Assert.Equal("stoker-agent", (string?)init[0]!["name"]);
        Assert.Equal("Always", (string?)init[0]!["restartPolicy"]);
        Assert.Single(init, c => (string?)c!["name"] == "stoker-agent");
        Assert.Equal(pod["spec"]!["initContainers"]?.AsArray().Count ?? 0, init.Count - 1);
        Assert.Equal("true", (string?)patched["metadata"]!["annotations"]!["stoker.io/injected"]);
        Assert.Equal("true", (string?)patched["metadata"]!["labels"]!["stoker.io/agent"]);
        var volumes = patched["spec"]!["volumes"]!.AsArray().Select(v => (string)v!["name"]!).ToList();
        Assert.Equal(volumes.Distinct().Count(), volumes.Count);
        Assert.All(init[0]!["volumeMounts"]!.AsArray(), m => Assert.Contains((string)m!["name"]!, volumes));
        // No Secret, no ConfigMap: the agent's only volumes are emptyDirs, its token and the gateway's data.
        var added = patched["spec"]!["volumes"]!.AsArray().Where(v => pod["spec"]!["volumes"]?.AsArray().Any(o => (string?)o!["name"] == (string?)v!["name"]) != true).ToList();
        Assert.All(added, v => Assert.True(v!["emptyDir"]?["sizeLimit"] is not null || v["projected"]?["sources"]?[0]?["serviceAccountToken"]?["audience"]?.GetValue<string>() == "stoker", v.ToJsonString()));
        Assert.All(added, v => Assert.Equal(2, v!.AsObject().Count));
        Assert.All(added.Where(v => v!["projected"] is not null), v => Assert.Equal(["serviceAccountToken"], v!["projected"]!["sources"]!.AsArray().SelectMany(s => s!.AsObject().Select(p => p.Key))));
    }

    [Fact]
    public async Task Mutate_InjectedEnvironment_IsReadByTheAgentAsItsSettings()
    {
        var request = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(InjectFolder, "04-basic-injection.request.json")))!.AsObject();
        var summary = AdmissionWire.Summary(await PostAsync(request.ToJsonString()));
        var agent = AdmissionWire.Apply(request["request"]!["object"]!.AsObject(), summary["patch"]!.AsArray())["spec"]!["initContainers"]![0]!;
        using var temp = new TempDirectory("stoker-agent-token");
        var tokenFile = temp.Combine("token");
        await File.WriteAllTextAsync(tokenFile, "header.payload.signature");

        // The downward API fills the fieldRefs; the token file stands in for the projected volume, and the silo's
        // gateway for a Service name that does not resolve here.
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in agent["env"]!.AsArray().Select(e => e!.AsObject()))
        {
            var value = variable["valueFrom"]?["fieldRef"]?["fieldPath"]?.GetValue<string>() switch
            {
                "metadata.name" => "ignition-0",
                "metadata.namespace" => "site",
                null => variable["value"]!.GetValue<string>(),
                var other => throw new InvalidOperationException("unexpected fieldRef " + other),
            };
            environment[variable["name"]!.GetValue<string>()] = value;
        }

        Assert.Equal(AgentEnvironment.TokenFile, environment["AGENT_TOKEN_FILE"]);
        Assert.Equal(AdmissionHost.SiloEndpoints, environment["SILO_ENDPOINTS"]);
        environment["AGENT_TOKEN_FILE"] = tokenFile;
        environment["SILO_ENDPOINTS"] = "127.0.0.1:30000";
        var options = AgentOptions.Parse(name => environment.GetValueOrDefault(name), out var errors);
        var ignition = IgnitionClientOptions.FromEnvironment(name => environment.GetValueOrDefault(name));

        Assert.Empty(errors);
        Assert.Equal(("site", "site", "plant-a", "standard"), (options.CrNamespace, options.CrName, options.GatewayName, options.Profile));
        Assert.Equal(("/repo", "/usr/local/bin/ignition/data"), (options.RepoPath, options.DataPath));
        Assert.Equal(tokenFile, options.AgentTokenFile);
        Assert.Equal(("stoker", "stoker"), (options.ClusterId, options.ServiceId));
        Assert.Equal(new Uri("http://localhost:8088/"), ignition.BaseUrl);
        Assert.Equal(agent["env"]!.AsArray().Select(e => (string)e!["name"]!), new[]
        {
            "POD_NAME", "POD_NAMESPACE", "CR_NAME", "CR_NAMESPACE", "GATEWAY_NAME", "PROFILE", "REPO_PATH", "DATA_PATH", "GATEWAY_PORT",
            "GATEWAY_TLS", "SYNC_PERIOD", "SILO_ENDPOINTS", "ORLEANS_CLUSTER_ID", "ORLEANS_SERVICE_ID", "AGENT_TOKEN_FILE", "SILO_CA",
        });
        Assert.Equal(File.ReadAllText(AdmissionHost.SiloCaFile), environment["SILO_CA"]);
        Assert.Equal("CN=Stoker admission fixture CA", Assert.Single(options.SiloCaCertificates!).Subject);
    }

    [Fact]
    public async Task Mutate_Metric_CountsInjectedAndSkippedButNotDenials()
    {
        double Count(string result) => AdmissionMetrics.InjectionsTotal.WithLabels("site", result).Value;
        var (injected, skipped) = (Count(AdmissionMetrics.Injected), Count(AdmissionMetrics.Skipped));

        foreach (var scenario in new[] { "04-basic-injection", "01-not-annotated", "06-cr-not-found", "08-profile-not-found" })
        {
            await PostAsync(await File.ReadAllTextAsync(Path.Combine(InjectFolder, scenario + ".request.json")));
        }

        Assert.Equal((injected + 1, skipped + 1), (Count(AdmissionMetrics.Injected), Count(AdmissionMetrics.Skipped)));
    }

    [Fact]
    public void AgentEnvironment_EveryName_IsASettingTheAgentReads()
    {
        var names = typeof(AgentEnvironment).GetFields().Where(f => f.IsLiteral && f.FieldType == typeof(string) && ((string)f.GetRawConstantValue()!).All(c => char.IsAsciiLetterUpper(c) || c == '_'))
            .Select(f => (string)f.GetRawConstantValue()!).ToList();

        Assert.Equal(17, names.Count);
        Assert.All(names, name => Assert.Contains(name, AgentOptions.Settings.Select(s => s.Variable)));
    }

    [Fact]
    public async Task Mutate_NotJson_Is400NamingTheProblem()
    {
        using var response = await fixture.Admission.PostAsync(AdmissionEndpoint.MutatePodPath, "{not json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("the body is not an AdmissionReview: ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{"uid":"1"}}""", "apiVersion must be \"admission.k8s.io/v1\"")]
    [InlineData("""{"kind":"AdmissionReview","request":{"uid":"1"}}""", "apiVersion must be \"admission.k8s.io/v1\"")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}""", "request.uid is required")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":""}}""", "request.uid is required")]
    [InlineData("""[1, 2]""", "the body is not an AdmissionReview: ")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"1","object":7,"operation":"CREATE"}}""", null)]
    public async Task Mutate_NotAnAdmissionReview_Is400(string body, string? message)
    {
        using var response = await fixture.Admission.PostAsync(AdmissionEndpoint.MutatePodPath, body);
        var text = await response.Content.ReadAsStringAsync();

        if (message is null)
        {
            // A review whose object is no pod is answered inside the review: errored 400, never a crash.
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var summary = AdmissionWire.Summary(JsonNode.Parse(text)!.AsObject());
            Assert.Equal((false, 400, "cannot decode the pod: object: must be a Pod (a JSON object)"),
                (summary["allowed"]!.GetValue<bool>(), summary["code"]!.GetValue<int>(), summary["message"]!.GetValue<string>()));
            return;
        }

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mutate_WrongMethodOrMediaType_IsRefused()
    {
        using var get = await fixture.Admission.Http.GetAsync(AdmissionEndpoint.MutatePodPath);
        using var yaml = await fixture.Admission.PostAsync(AdmissionEndpoint.MutatePodPath, "apiVersion: v1", "application/yaml");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Equal("POST", get.Content.Headers.Allow.Single());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, yaml.StatusCode);
        Assert.Contains("application/json", await yaml.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mutate_HostileBodies_AreBoundedAndTheServerAnswersAfter()
    {
        var huge = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"1\",\"object\":{\"pad\":\""
            + new string('x', AdmissionOptions.DefaultMaxRequestBodyBytes) + "\"}}}";
        var deep = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"1\",\"object\":"
            + string.Concat(Enumerable.Repeat("[", 100_000)) + string.Concat(Enumerable.Repeat("]", 100_000)) + "}}";

        using var tooLarge = await fixture.Admission.PostAsync(AdmissionEndpoint.MutatePodPath, huge);
        using var tooDeep = await fixture.Admission.PostAsync(AdmissionEndpoint.MutatePodPath, deep);
        var review = await PostAsync(await File.ReadAllTextAsync(Path.Combine(InjectFolder, "04-basic-injection.request.json")));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Contains("Stoker:Admission:MaxRequestBodyBytes", await tooLarge.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, tooDeep.StatusCode);
        Assert.Contains("depth", await tooDeep.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.True(review["response"]!["allowed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Mutate_OtherPaths_AreNotServedOnTheWebhookPort()
    {
        using var response = await fixture.Admission.Http.GetAsync("/apis/stoker.io/v1alpha1/gatewaysyncs");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<JsonObject> PostAsync(string body)
    {
        using var response = await fixture.Admission.PostAsync(AdmissionEndpoint.MutatePodPath, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"HTTP {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static string SourceFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(Path.GetDirectoryName(path))!;
}
