using System.Net;
using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Silo.Admission;
using Stoker.Silo.Api;
using Stoker.Tests.Resources;

namespace Stoker.Tests.Admission;

/// <summary>
/// The validating webhook refuses what the apply API refuses, with the same field paths and the same message: every
/// fault of <see cref="BadInputTests"/> as an AdmissionReview over HTTPS, plus written fixtures
/// (Fixtures/Admission/Validate) shaped as the API server sends them.
/// </summary>
public sealed class GatewaySyncValidationTests(AdmissionFixture fixture) : IClassFixture<AdmissionFixture>
{
    private static readonly string ValidateFolder = Path.Combine(AdmissionFixture.Folder, "Validate");

    /// <summary>The faults that are one resource (the malformed-text ones never reach a webhook: the API server parses first).</summary>
    public static TheoryData<string> Faults()
    {
        var data = new TheoryData<string>();
        foreach (var (name, fault) in BadInputTests.Cases)
        {
            if (fault.Field != "(document)")
            {
                data.Add(name);
            }
        }

        return data;
    }

    [Fact]
    public void Faults_AreMostOfTheBadInputTable() => Assert.True(Faults().Count >= 70, $"{Faults().Count} faults");

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Validate_EveryFault_RefusedWithItsFieldPathAndTheApplyApisMessage(string name)
    {
        var fault = BadInputTests.Cases[name];
        var resource = Assert.Single(YamlJson.ReadAll(fault.Yaml));

        var response = await PostAsync(Review("CREATE", resource));

        Assert.False(response["allowed"]!.GetValue<bool>(), name);
        var status = response["status"]!;
        Assert.Equal(422, status["code"]!.GetValue<int>());
        Assert.Equal("Invalid", (string?)status["reason"]);
        var fields = status["details"]!["causes"]!.AsArray().Select(c => (string)c!["field"]!).Order(StringComparer.Ordinal);
        Assert.Equal(fault.AlsoFields.Append(fault.Field).Order(StringComparer.Ordinal), fields);
        Assert.Contains(fault.Field, (string?)status["message"], StringComparison.Ordinal);
        var applyApi = ApiStatuses.Invalid((string?)resource["metadata"]?["name"], GatewaySyncSerializer.Parse(fault.Yaml).Violations);
        Assert.Equal(applyApi.Message, (string?)status["message"]);
    }

    [Fact]
    public async Task Validate_ValidResource_IsAllowedOnCreateAndUpdate()
    {
        var resource = Assert.Single(YamlJson.ReadAll(ResourceYaml.Valid));

        var create = await PostAsync(Review("CREATE", resource));
        var update = await PostAsync(Review("UPDATE", resource));

        Assert.True(create["allowed"]!.GetValue<bool>(), create.ToJsonString());
        Assert.True(update["allowed"]!.GetValue<bool>(), update.ToJsonString());
    }

    [Fact]
    public async Task Validate_Delete_IsAllowedWithoutLookingAtTheObject()
    {
        var response = await PostAsync(Review("DELETE", null));

        Assert.True(response["allowed"]!.GetValue<bool>());
    }

    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(ValidateFolder, "*.request.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file)[..^".request.json".Length]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Validate_Fixture_AnswersTheExpectedVerdict(string fixtureName)
    {
        var request = await File.ReadAllTextAsync(Path.Combine(ValidateFolder, fixtureName + ".request.json"));
        var expected = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(ValidateFolder, fixtureName + ".expected.json")))!;

        var response = await PostAsync(request);

        Assert.Equal(JsonNode.Parse(request)!["request"]!["uid"]!.GetValue<string>(), (string?)response["uid"]);
        var actual = new JsonObject
        {
            ["allowed"] = response["allowed"]!.GetValue<bool>(),
            ["message"] = response["status"]?["message"]?.DeepClone(),
            ["fields"] = new JsonArray(response["status"]?["details"]?["causes"]?.AsArray().Select(c => (JsonNode?)JsonValue.Create((string)c!["field"]!)).ToArray() ?? []),
        };
        Assert.True(JsonNode.DeepEquals(expected, actual), $"{fixtureName}:\nexpected {expected.ToJsonString()}\nactual   {actual.ToJsonString()}");
    }

    private static string Review(string operation, JsonNode? resource) => new JsonObject
    {
        ["apiVersion"] = "admission.k8s.io/v1",
        ["kind"] = "AdmissionReview",
        ["request"] = new JsonObject
        {
            ["uid"] = Guid.NewGuid().ToString(),
            ["kind"] = new JsonObject { ["group"] = "stoker.io", ["version"] = "v1alpha1", ["kind"] = "GatewaySync" },
            ["name"] = resource?["metadata"]?["name"]?.DeepClone(),
            ["namespace"] = "sites",
            ["operation"] = operation,
            ["object"] = resource?.DeepClone(),
            ["oldObject"] = operation == "UPDATE" ? resource?.DeepClone() : null,
        },
    }.ToJsonString();

    private async Task<JsonObject> PostAsync(string body)
    {
        using var response = await fixture.Admission.PostAsync(AdmissionEndpoint.ValidateGatewaySyncPath, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"HTTP {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["response"]!.AsObject();
    }
}
