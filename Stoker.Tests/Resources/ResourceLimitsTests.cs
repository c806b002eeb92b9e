using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Serialization;
using Xunit.Abstractions;
using static Stoker.Tests.Resources.HostileInputs;

namespace Stoker.Tests.Resources;

/// <summary>
/// Issue 11, defects 2, 3 and 7 at the reader every entry point shares: nesting beyond 64 levels, alias expansion
/// beyond the value budget and text beyond 3 MiB are refused naming the limit; numbers no 64-bit type holds are
/// violations naming the field, the value and the rule. Depths here stay small enough not to overflow the stack of
/// the test host today; the 20,000-level inputs run against real processes (HostileInputProcessTests).
/// </summary>
public sealed class ResourceLimitsTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("json", 64)]
    [InlineData("json", 1000)]
    [InlineData("flow", 64)]
    [InlineData("flow", 1000)]
    [InlineData("block", 64)]
    [InlineData("block", 1000)]
    [InlineData("indented", 65)]
    [InlineData("indented", 200)]
    public void Parse_NestedBeyond64Levels_RefusedNamingTheLimit(string style, int levels)
    {
        var result = GatewaySyncSerializer.Parse(Deep(style, levels));

        Assert.False(result.IsValid);
        var violation = Assert.Single(result.Violations);
        Assert.Equal("(document)", violation.Field);
        Assert.Contains("nested deeper than 64 levels", violation.Rule, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("json", 63)]
    [InlineData("flow", 63)]
    [InlineData("block", 63)]
    [InlineData("indented", 64)]
    public void Parse_Nested64Levels_ReadAndJudgedByTheSchema(string style, int levels)
    {
        var result = GatewaySyncSerializer.Parse(Deep(style, levels));

        Assert.False(result.IsValid);
        Assert.DoesNotContain(result.Violations, v => v.Rule.Contains("levels", StringComparison.Ordinal));
    }

    [Fact]
    public void ReadAll_AliasBomb_RefusedWithoutExpandingIt()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<ResourceFormatException>(() => YamlJson.ReadAll(AliasBomb(levels: 6)));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"refusing the six-level alias bomb allocated {allocated:N0} bytes");
        Assert.Contains("more than 100000 values", error.Message, StringComparison.Ordinal);
        Assert.Contains("aliases", error.Message, StringComparison.Ordinal);
        // Expanded, six levels are 4.8 million values and about 2 GB; refused, the budget's 100,000 values at most.
        Assert.True(allocated < 64L * 1024 * 1024, $"reading the alias bomb allocated {allocated:N0} bytes");
    }

    [Fact]
    public void ReadAll_ManyDocumentsSharingOneBudget_RefusedLikeOneDocument()
    {
        // 600 documents of 1,000 expanded values each: under the budget one by one, not together.
        var document = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n";
        var stream = string.Join("---\n", Enumerable.Repeat(document, 600));

        Assert.Single(YamlJson.ReadAll(document));
        var error = Assert.Throws<ResourceFormatException>(() => YamlJson.ReadAll(stream));
        Assert.Contains("more than 100000 values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SingleAlias_ExpandedAsAnIndependentCopy()
    {
        var yaml = WithPort("8043").Replace("      default:\n", "      default: &default\n", StringComparison.Ordinal) + "\n      copy: *default\n";

        var result = GatewaySyncSerializer.Parse(yaml);

        Assert.True(result.IsValid, string.Join("\n", result.Violations));
        var profiles = result.Resource.Spec.Sync.Profiles;
        Assert.Equal(["copy", "default"], profiles.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(profiles["default"].Mappings.Count, profiles["copy"].Mappings.Count);
        var node = YamlJson.ReadOne("a: &x {k: [1, 2]}\nb: *x\n").AsObject();
        Assert.True(JsonNode.DeepEquals(node["a"], node["b"]));
        Assert.NotSame(node["a"], node["b"]);
    }

    [Fact]
    public void ReadAll_AliasNestingBeyondTheLimit_Refused()
    {
        // The anchor is 40 levels deep and used 40 levels deep: 80 levels once expanded.
        var deep = new string('[', 39) + "1" + new string(']', 39);
        var yaml = $"a: &deep {deep}\nb: {new string('[', 39)}*deep{new string(']', 39)}\n";

        var error = Assert.Throws<ResourceFormatException>(() => YamlJson.ReadAll(yaml));

        Assert.Contains("nested deeper than 64 levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAll_MoreThan1000Documents_RefusedNamingTheLimit()
    {
        // Empty documents count too: they cost the reader work while producing nothing.
        var stream = string.Concat(Enumerable.Repeat("---\n", 1001));

        Assert.Empty(YamlJson.ReadAll(string.Concat(Enumerable.Repeat("---\n", 1000))));
        var error = Assert.Throws<ResourceFormatException>(() => YamlJson.ReadAll(stream));
        Assert.Contains("more than 1000 documents (the limit for a resource text)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("value")]
    [InlineData("key")]
    [InlineData("quoted")]
    public void ReadAll_StringLongerThan256KiB_RefusedNamingTheLimit(string where)
    {
        var longest = new string('x', ResourceLimits.MaxStringLength);
        var tooLong = longest + "x";
        Assert.Single(YamlJson.ReadAll($"a: {longest}\n"));

        var yaml = where switch
        {
            "value" => $"a: {tooLong}\n",
            "key" => $"{tooLong}: 1\n",
            _ => $"a: \"{tooLong}\"\n",
        };
        var error = Assert.Throws<ResourceFormatException>(() => YamlJson.ReadAll(yaml));

        Assert.Contains("a string of 262145 characters is longer than 262144 (the limit for a resource)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a: x§y\n", 2)]
    [InlineData("a: \"§\"\n", 1)]
    [InlineData("§: 1\n", 1)]
    public void ReadAll_HalfASurrogatePair_RefusedNamingIt(string template, int position)
    {
        // Found by the fuzz test: the reader took the string, and writing the tree back (status, CLI output) threw.
        // (YamlDotNet refuses the escape "\ud800" itself; the character comes in raw, from a string or a decoder.)
        var yaml = template.Replace("§", "\uD800", StringComparison.Ordinal);

        var error = Assert.Throws<ResourceFormatException>(() => YamlJson.ReadAll(yaml));

        Assert.Contains($"a string holds half a surrogate pair (\\uD800 at character {position}): not Unicode text", error.Message, StringComparison.Ordinal);
        Assert.Equal("x\U0001F600", YamlJson.ReadOne("a: x\U0001F600\n")["a"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("!!1b]")]
    [InlineData("a: !<%zz> x\n")]
    [InlineData("b9kkb: \n  -0: &a0 [&a2 [-99zx, 007.5, >-\n  folded]]\n  kind: &a0 x\n")]
    public void ReadAll_InputYamlDotNetRefusesWithAnotherException_RefusedAsMalformed(string yaml)
    {
        // Found by the fuzz test: YamlDotNet threw ArgumentException or InvalidOperationException, which the API
        // answered with a 500.
        var error = Assert.Throws<ResourceFormatException>(() => YamlJson.ReadAll(yaml));

        Assert.StartsWith("line ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kind: [x]\n")]
    [InlineData("kind: {a: 1}\nitems: []\n")]
    [InlineData("kind: 5\n---\nkind: [List]\nitems: [1]\n")]
    public void ParseAll_KindNotAString_ReportedNotThrown(string yaml)
    {
        // Found by the fuzz test: ParseAll cast kind to a string and threw InvalidOperationException.
        var results = GatewaySyncSerializer.ParseAll(yaml);

        Assert.NotEmpty(results);
        Assert.All(results, r => Assert.False(r.IsValid));
    }

    [Fact]
    public void ReadAllText_InvalidUtf8_RefusedNotReplaced()
    {
        using var temp = new Infrastructure.TempDirectory("limits");
        var path = temp.Combine("latin1.yaml");
        File.WriteAllBytes(path, [.. System.Text.Encoding.UTF8.GetBytes("metadata:\n  name: caf"), 0xE9, (byte)'\n']);

        var error = Assert.Throws<ResourceFormatException>(() => ResourceFile.ReadAllText(path));

        Assert.StartsWith("the file is not UTF-8 text: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAll_TextOver3MiB_RefusedNamingTheLimit()
    {
        var text = ResourceYaml.Valid + "\n# " + new string('x', 3 * 1024 * 1024) + "\n";

        var error = Assert.Throws<ResourceFormatException>(() => YamlJson.ReadAll(text));

        Assert.Contains("3145728 characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAllText_FileOver3MiB_RefusedBeforeReadingIt()
    {
        using var temp = new Infrastructure.TempDirectory("limits");
        var path = temp.Combine("big.yaml");
        File.WriteAllText(path, ResourceYaml.Valid + "\n# " + new string('x', 3 * 1024 * 1024) + "\n");

        var error = Assert.Throws<ResourceFormatException>(() => ResourceFile.ReadAllText(path));

        Assert.Equal("the file is larger than 3145728 bytes (the limit for a resource)", error.Message);
        Assert.Equal(ResourceYaml.Valid, ResourceFile.ReadAllText(WriteSmall(temp)));
    }

    [Theory]
    [InlineData("1e400", "yaml", "must fit in a 32-bit integer")]
    [InlineData("-1e400", "yaml", "must fit in a 32-bit integer")]
    [InlineData("99999999999999999999", "yaml", "must fit in a 32-bit integer")]
    [InlineData("1e400", "json", "must fit in a 32-bit integer")]
    [InlineData("-1E+400", "json", "must fit in a 32-bit integer")]
    [InlineData("99999999999999999999", "json", "must fit in a 32-bit integer")]
    [InlineData("123456789012345678901234567890123456789", "json", "must fit in a 32-bit integer")]
    [InlineData("1.5e400", "yaml", "must fit in a 32-bit integer")]
    [InlineData("1.5", "yaml", "must be of type integer")]
    public void Parse_PortNoIntegerTypeHolds_ViolationNamesFieldValueAndRule(string port, string format, string rule)
    {
        var result = GatewaySyncSerializer.Parse(format == "json" ? WithPortJson(port) : WithPort(port));

        var violation = Assert.Single(result.Violations);
        Assert.Equal("spec.gateway.port", violation.Field);
        Assert.Equal(port, violation.Value);
        Assert.Equal(rule, violation.Rule);
    }

    [Theory]
    [InlineData(".inf")]
    [InlineData("-.Inf")]
    [InlineData(".nan")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void Parse_PortSpelledAsInfinityOrNaN_IsAStringAndRefusedAsOne(string port)
    {
        var result = GatewaySyncSerializer.Parse(WithPort(port));

        var violation = Assert.Single(result.Violations);
        Assert.Equal("spec.gateway.port", violation.Field);
        Assert.Equal($"\"{port}\"", violation.Value);
        Assert.Equal("must be of type integer", violation.Rule);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("99999999999999999999")]
    public void Parse_Int64FieldBeyondLong_ViolationNamesFieldValueAndRule(string appId)
    {
        var yaml = WithPort("8043").Replace("    ref: main\n", $"    ref: main\n    auth:\n      githubApp:\n        appId: {appId}\n        installationId: 7\n        privateKeySecretRef: {{name: app, key: pem}}\n", StringComparison.Ordinal);

        var result = GatewaySyncSerializer.Parse(yaml);

        var violation = Assert.Single(result.Violations);
        Assert.Equal("spec.git.auth.githubApp.appId", violation.Field);
        Assert.Equal(appId, violation.Value);
        Assert.Equal("must fit in a 64-bit integer", violation.Rule);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("99999999999999999999")]
    public void Parse_MetadataGenerationBeyondLong_ViolationNamesFieldValueAndRule(string generation)
    {
        var yaml = WithPort("8043").Replace("  namespace: hostile\n", $"  namespace: hostile\n  generation: {generation}\n", StringComparison.Ordinal);

        var result = GatewaySyncSerializer.Parse(yaml);

        var violation = Assert.Single(result.Violations);
        Assert.Equal("metadata.generation", violation.Field);
        Assert.Equal(generation, violation.Value);
        Assert.Equal("must fit in a 64-bit integer", violation.Rule);
    }

    [Fact]
    public void Write_NumberKeptAsWritten_RoundTripsThroughYamlAndJson()
    {
        var node = YamlJson.ReadOne("big: 99999999999999999999\nhuge: 1e400\nsmall: 1.5\n");

        Assert.Equal("""{"big":99999999999999999999,"huge":1e400,"small":1.5}""", node.ToJsonString());
        Assert.Equal("big: 99999999999999999999\nhuge: 1e400\nsmall: 1.5\n", YamlJson.Write(node));
    }

    private static string WriteSmall(Infrastructure.TempDirectory temp)
    {
        var path = temp.Combine("small.yaml");
        File.WriteAllText(path, ResourceYaml.Valid);
        return path;
    }

    internal static string Deep(string style, int levels) => style switch
    {
        "json" => DeepJson(levels),
        "flow" => DeepYamlFlow(levels),
        "block" => DeepYamlBlock(levels),
        _ => DeepYamlIndented(levels),
    };
}
