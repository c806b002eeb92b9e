using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;

namespace Stoker.Tests.Resources;

/// <summary>The 38 example resources of the original's guides read, default and write back as the API server would.</summary>
public sealed class GuideFixtureTests
{
    /// <summary>Objects with no structural default of their own: present after parsing only if the fixture has them.</summary>
    private static readonly string[] OptionalObjects =
        ["spec.polling", "spec.sync.defaults", "spec.agent", "spec.agent.image", "spec.git.auth", "status"];

    public static TheoryData<string> Fixtures() => GuideFixtures.All();

    public static TheoryData<string, string> FixturesWithoutOptionalObject()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in GuideFixtures.Names)
        {
            var source = YamlJson.ReadOne(GuideFixtures.Read(name));
            foreach (var path in OptionalObjects.Where(p => !NodePath.Exists(source, p)))
            {
                data.Add(name, path);
            }
        }

        return data;
    }

    [Fact]
    public void Fixtures_Directory_HoldsEveryGuideExampleWithExpectedDefaults()
    {
        Assert.Equal(38, GuideFixtures.Names.Count);
        Assert.Equal(GuideFixtures.Names, GuideFixtures.ExpectedDefaults.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Parse_GuideFixture_HasNoViolations(string fixture)
    {
        var result = GatewaySyncSerializer.Parse(GuideFixtures.Read(fixture));

        Assert.True(result.IsValid, result.Describe());
        Assert.Empty(result.Violations);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Parse_GuideFixture_RoundTripsThroughYamlAndJsonUnchanged(string fixture)
    {
        var parsed = ParseValid(GuideFixtures.Read(fixture));
        var json = GatewaySyncSerializer.ToJson(parsed);

        var viaYaml = GatewaySyncSerializer.ToJson(ParseValid(GatewaySyncSerializer.ToYaml(parsed)));
        var viaJson = GatewaySyncSerializer.ToJson(ParseValid(GatewaySyncSerializer.ToJson(parsed)));
        var viaIndentedJson = GatewaySyncSerializer.ToJson(ParseValid(GatewaySyncSerializer.ToJson(parsed, indented: true)));

        Assert.Equal(json, viaYaml);
        Assert.Equal(json, viaJson);
        Assert.Equal(json, viaIndentedJson);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Parse_ParsedGuideFixture_IsIdempotent(string fixture)
    {
        var once = ParseValid(GuideFixtures.Read(fixture));
        var twice = ParseValid(GatewaySyncSerializer.ToYaml(once));
        var thrice = ParseValid(GatewaySyncSerializer.ToYaml(twice));

        Assert.Equal(GatewaySyncSerializer.ToJson(once), GatewaySyncSerializer.ToJson(twice));
        Assert.Equal(GatewaySyncSerializer.ToJson(twice), GatewaySyncSerializer.ToJson(thrice));

        // Defaults are filled once: a list default is not appended to a second time.
        var defaults = once.Spec.Sync.Defaults?.ExcludePatterns;
        Assert.Equal(defaults, twice.Spec.Sync.Defaults?.ExcludePatterns);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Parse_GuideFixture_AppliesEveryExpectedDefault(string fixture)
    {
        var node = GatewaySyncSerializer.ToNode(ParseValid(GuideFixtures.Read(fixture)));

        var problems = new List<string>();
        foreach (var (path, expected) in GuideFixtures.ExpectedDefaults[fixture])
        {
            var actual = NodePath.Find(node, path, out var found);
            if (!found)
            {
                problems.Add($"{path}: missing, expected {expected?.ToJsonString()}");
            }
            else if (!JsonNode.DeepEquals(expected, actual))
            {
                problems.Add($"{path}: {actual?.ToJsonString() ?? "null"}, expected {expected?.ToJsonString()}");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Parse_GuideFixture_KeepsWrittenValuesAndAddsOnlyTheExpectedDefaults(string fixture)
    {
        var text = GuideFixtures.Read(fixture);
        var source = NodePath.Leaves(YamlJson.ReadOne(text).AsObject());
        var parsed = NodePath.Leaves(GatewaySyncSerializer.ToNode(ParseValid(text)));
        var expectedDefaults = GuideFixtures.ExpectedDefaults[fixture];

        var problems = new List<string>();
        foreach (var (path, value) in source.Where(l => !JsonNode.DeepEquals(l.Value, parsed.GetValueOrDefault(l.Key))))
        {
            problems.Add($"{path}: written {value?.ToJsonString()}, parsed {(parsed.TryGetValue(path, out var p) ? p?.ToJsonString() ?? "null" : "(missing)")}");
        }

        foreach (var path in parsed.Keys.Where(k => !source.ContainsKey(k) && !expectedDefaults.ContainsKey(k)))
        {
            problems.Add($"{path}: {parsed[path]?.ToJsonString()} invented by parsing");
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Theory]
    [MemberData(nameof(FixturesWithoutOptionalObject))]
    public void Parse_GuideFixtureWithoutOptionalObject_DoesNotInventIt(string fixture, string path)
    {
        var parsed = ParseValid(GuideFixtures.Read(fixture));

        Assert.False(NodePath.Exists(GatewaySyncSerializer.ToNode(parsed), path), $"{path} appeared in {GatewaySyncSerializer.ToJson(parsed)}");
        Assert.False(NodePath.Exists(YamlJson.ReadOne(GatewaySyncSerializer.ToYaml(parsed)), path));
    }

    [Fact]
    public void Parse_FixtureWithoutPolling_HasNoPollingAndNoSyncDefaults()
    {
        var parsed = ParseValid(GuideFixtures.Read("quickstart-1.yaml"));

        Assert.Null(parsed.Spec.Polling);
        Assert.Null(parsed.Spec.Sync.Defaults);
        Assert.Null(parsed.Spec.Agent);
        Assert.False(GatewaySyncSerializer.ToNode(parsed)["spec"]!.AsObject().ContainsKey("polling"));
    }

    [Fact]
    public void Parse_PollingWithOnlyEnabled_FillsIntervalAndKeepsEnabled()
    {
        var parsed = ParseValid(GuideFixtures.Read("webhook-sync-2.yaml"));

        Assert.Equal(new PollingSpec { Enabled = false, Interval = "60s" }, parsed.Spec.Polling);
    }

    [Fact]
    public void Parse_SyncDefaultsWithOnlyVars_FillsTheThreeCrdDefaults()
    {
        var parsed = ParseValid(GuideFixtures.Read("multi-site-deployment-3.yaml"));

        var defaults = Assert.IsType<SyncDefaults>(parsed.Spec.Sync.Defaults);
        Assert.Equal(["**/.git/", "**/.gitkeep", "**/.resources/**"], defaults.ExcludePatterns);
        Assert.Equal(30, defaults.SyncPeriod);
        Assert.Equal(DesignerSessionPolicy.Proceed, defaults.DesignerSessionPolicy);
        Assert.Null(defaults.DryRun);
        Assert.Null(defaults.Paused);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("No")]
    [InlineData("on")]
    [InlineData("OFF")]
    [InlineData("y")]
    [InlineData("N")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("")]
    [InlineData("007")]
    [InlineData("+12")]
    [InlineData("12.50")]
    [InlineData("1e3")]
    [InlineData("1_000")]
    [InlineData("0x1F")]
    [InlineData("0o17")]
    [InlineData("0b101")]
    [InlineData(".inf")]
    [InlineData("-.Inf")]
    [InlineData(".NaN")]
    [InlineData("1:30")]
    [InlineData("2026-03-01")]
    [InlineData("2026-03-01T12:00:00Z")]
    public void ToYaml_StringAnotherYamlReaderWouldRetype_IsQuoted(string value)
    {
        // kubectl reads YAML 1.1 (yes/on/017/0x1F/dates are not strings there); the written YAML must mean the same to it.
        var parsed = ParseValid(GuideFixtures.Read("multi-gateway-3.yaml"));
        var resource = parsed with
        {
            Spec = parsed.Spec with
            {
                Sync = parsed.Spec.Sync with
                {
                    Defaults = new SyncDefaults { Vars = new Dictionary<string, string> { ["code"] = value } },
                },
            },
        };

        var yaml = GatewaySyncSerializer.ToYaml(resource);

        Assert.Contains($"code: \"{value}\"", yaml, StringComparison.Ordinal);
        Assert.Equal(value, ParseValid(yaml).Spec.Sync.Defaults!.Vars!["code"]);
    }

    [Fact]
    public void Parse_GuideFixture_LeavesTheCallersNodeUntouched()
    {
        var node = YamlJson.ReadOne(GuideFixtures.Read("quickstart-1.yaml"));
        var before = node.ToJsonString();

        Assert.True(GatewaySyncSerializer.FromNode(node).IsValid);
        Assert.Equal(before, node.ToJsonString());
    }

    private static GatewaySync ParseValid(string text)
    {
        var result = GatewaySyncSerializer.Parse(text);
        Assert.True(result.IsValid, result.Describe());
        return result.Resource;
    }
}
