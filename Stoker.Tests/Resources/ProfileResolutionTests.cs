using Stoker.Grains.Interfaces.Profiles;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;

namespace Stoker.Tests.Resources;

/// <summary>Merging <c>sync.defaults</c> into profiles, choosing a gateway's profile, and the canonical text (docs/resource-reference.md).</summary>
public sealed class ProfileResolutionTests
{
    private const string GoldenSync = """
        defaults:
          vars:
            b: "2"
            a: "1"
          excludePatterns: ["**/.uuid"]
          syncPeriod: 45
          dryRun: true
        profiles:
          zeta:
            mappings:
              - source: projects
                destination: projects
          alpha:
            vars:
              a: x
            excludePatterns: ["**/tmp/**", "**/.uuid"]
            syncPeriod: 10
            designerSessionPolicy: wait
            paused: true
            mappings:
              - source: "config/{{.GatewayName}}"
                destination: config
                type: dir
                required: true
                template: true
                patches:
                  - file: "*.json"
                    set:
                      z: "1"
                      a.b: "<&>"
                  - set:
                      k: v
                  - file: ""
                    set:
                      e: f
              - source: b
                destination: c
                type: file
                required: false
                template: false
                patches: []
        """;

    /// <summary>The same resource as <see cref="GoldenSync"/> with every map's entries declared in another order.</summary>
    private const string GoldenSyncReordered = """
        profiles:
          alpha:
            mappings:
              - source: "config/{{.GatewayName}}"
                destination: config
                type: dir
                required: true
                template: true
                patches:
                  - file: "*.json"
                    set:
                      a.b: "<&>"
                      z: "1"
                  - set:
                      k: v
                  - file: ""
                    set:
                      e: f
              - source: b
                destination: c
                type: file
                required: false
                template: false
                patches: []
            paused: true
            designerSessionPolicy: wait
            syncPeriod: 10
            excludePatterns: ["**/tmp/**", "**/.uuid"]
            vars:
              a: x
          zeta:
            mappings:
              - source: projects
                destination: projects
        defaults:
          dryRun: true
          syncPeriod: 45
          excludePatterns: ["**/.uuid"]
          vars:
            a: "1"
            b: "2"
        """;

    /// <summary>The canonical text of <see cref="GoldenSync"/>, one line per member group (joined without separators).</summary>
    private static readonly string Golden = string.Concat("""
        {"alpha":{"mappings":[{"source":"config/{{.GatewayName}}","destination":"config","type":"dir","required":true,"template":true,
        "patches":[{"file":"*.json","set":{"a.b":"\u003c\u0026\u003e","z":"1"}},{"set":{"k":"v"}},{"set":{"e":"f"}}]},
        {"source":"b","destination":"c","type":"file"}],
        "excludePatterns":["**/.uuid","**/tmp/**","**/.git/**","**/.git","**/.gitkeep","**/.resources/**","**/.resources"],
        "vars":{"a":"x","b":"2"},"syncPeriod":10,"dryRun":true,"designerSessionPolicy":"wait","paused":true},
        "zeta":{"mappings":[{"source":"projects","destination":"projects"}],
        "excludePatterns":["**/.uuid","**/.git/**","**/.git","**/.gitkeep","**/.resources/**","**/.resources"],
        "vars":{"a":"1","b":"2"},"syncPeriod":45,"dryRun":true,"designerSessionPolicy":"proceed","paused":false}}
        """.Split('\n'));

    private static readonly Mapping[] ThreeMappings =
    [
        new() { Source = "shared", Destination = "config", Type = MappingType.Dir },
        new() { Source = "site/{{.Vars.site}}", Destination = "config", Required = true },
        new() { Source = "projects/p.json", Destination = "projects/p.json", Type = MappingType.File, Template = true, Patches = [new() { Set = new Dictionary<string, string> { ["x"] = "1" } }] },
    ];

    [Fact]
    public void Resolve_Mappings_CopiedOneToOneInOrder()
    {
        var resolved = ProfileResolver.Resolve(null, new SyncProfile { Mappings = ThreeMappings });

        Assert.Equal(ThreeMappings, resolved.Mappings);
    }

    [Fact]
    public void Resolve_ExcludePatterns_DefaultsThenProfileThenAlwaysExcluded()
    {
        var resolved = ProfileResolver.Resolve(
            new SyncDefaults { ExcludePatterns = ["a/**", "**/.git/"] },
            new SyncProfile { Mappings = ThreeMappings, ExcludePatterns = ["b/**"] });

        Assert.Equal(["a/**", "**/.git/", "b/**", "**/.git/**", "**/.git", "**/.gitkeep", "**/.resources/**", "**/.resources"], resolved.ExcludePatterns);
        Assert.Equal(["**/.git/**", "**/.git", "**/.gitkeep", "**/.resources/**", "**/.resources"], ProfileResolver.AlwaysExcluded);
    }

    [Fact]
    public void Resolve_ExcludePatterns_TrimmedAndDeduplicatedKeepingFirst()
    {
        var resolved = ProfileResolver.Resolve(
            new SyncDefaults { ExcludePatterns = [" x ", "y", "x"] },
            new SyncProfile { Mappings = ThreeMappings, ExcludePatterns = ["x", "  ", "", "**/.gitkeep", "y\t"] });

        Assert.Equal(["x", "y", "**/.gitkeep", "**/.git/**", "**/.git", "**/.resources/**", "**/.resources"], resolved.ExcludePatterns);
    }

    [Fact]
    public void Resolve_NoPatternsAnywhere_KeepsTheAlwaysExcludedOnes()
    {
        var resolved = ProfileResolver.Resolve(new SyncDefaults { ExcludePatterns = [] }, new SyncProfile { Mappings = ThreeMappings });

        Assert.Equal(ProfileResolver.AlwaysExcluded, resolved.ExcludePatterns);
    }

    [Fact]
    public void Resolve_AbsentDefaults_UsesTheCrdDefaultPatterns()
    {
        var resolved = ProfileResolver.Resolve(null, new SyncProfile { Mappings = ThreeMappings });

        Assert.Equal(["**/.git/", "**/.gitkeep", "**/.resources/**", "**/.git/**", "**/.git", "**/.resources"], resolved.ExcludePatterns);
    }

    [Fact]
    public void Resolve_Vars_MergedPerKeyWithProfileWinning()
    {
        var resolved = ProfileResolver.Resolve(
            new SyncDefaults { Vars = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" } },
            new SyncProfile { Mappings = ThreeMappings, Vars = new Dictionary<string, string> { ["b"] = "x", ["c"] = "3" } });

        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "x", ["c"] = "3" }, resolved.Vars);
    }

    [Fact]
    public void Resolve_VarsOnlyInOneTier_AreKept()
    {
        Assert.Equal(
            new Dictionary<string, string> { ["a"] = "1" },
            ProfileResolver.Resolve(new SyncDefaults { Vars = new Dictionary<string, string> { ["a"] = "1" } }, new SyncProfile { Mappings = ThreeMappings }).Vars);
        Assert.Equal(
            new Dictionary<string, string> { ["c"] = "3" },
            ProfileResolver.Resolve(null, new SyncProfile { Mappings = ThreeMappings, Vars = new Dictionary<string, string> { ["c"] = "3" } }).Vars);
        Assert.Empty(ProfileResolver.Resolve(null, new SyncProfile { Mappings = ThreeMappings }).Vars);
    }

    [Theory]
    [InlineData(45, null, 45)]
    [InlineData(45, 10, 10)]
    [InlineData(45, 3600, 3600)]
    [InlineData(0, null, 30)]
    [InlineData(45, 0, 30)]
    public void Resolve_SyncPeriod_InheritedWhenAbsentOverriddenWhenSetZeroMeans30(int defaults, int? profile, int expected)
    {
        var resolved = ProfileResolver.Resolve(new SyncDefaults { SyncPeriod = defaults }, new SyncProfile { Mappings = ThreeMappings, SyncPeriod = profile });

        Assert.Equal(expected, resolved.SyncPeriod);
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData(true, null, true)]
    [InlineData(false, null, false)]
    [InlineData(true, false, false)]
    [InlineData(false, true, true)]
    [InlineData(null, true, true)]
    public void Resolve_DryRun_InheritedWhenAbsentOverriddenWhenSet(bool? defaults, bool? profile, bool expected)
    {
        var resolved = ProfileResolver.Resolve(new SyncDefaults { DryRun = defaults }, new SyncProfile { Mappings = ThreeMappings, DryRun = profile });

        Assert.Equal(expected, resolved.DryRun);
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData(true, null, true)]
    [InlineData(true, false, false)]
    [InlineData(false, true, true)]
    [InlineData(null, true, true)]
    public void Resolve_Paused_InheritedWhenAbsentOverriddenWhenSet(bool? defaults, bool? profile, bool expected)
    {
        var resolved = ProfileResolver.Resolve(new SyncDefaults { Paused = defaults }, new SyncProfile { Mappings = ThreeMappings, Paused = profile });

        Assert.Equal(expected, resolved.Paused);
    }

    [Theory]
    [InlineData("wait", null, "wait")]
    [InlineData("wait", "", "wait")]
    [InlineData("wait", "fail", "fail")]
    [InlineData("proceed", "wait", "wait")]
    [InlineData("", null, "proceed")]
    [InlineData("", "", "proceed")]
    public void Resolve_DesignerSessionPolicy_InheritedWhenEmptyOverriddenWhenSet(string defaults, string? profile, string expected)
    {
        var resolved = ProfileResolver.Resolve(
            new SyncDefaults { DesignerSessionPolicy = defaults },
            new SyncProfile { Mappings = ThreeMappings, DesignerSessionPolicy = profile });

        Assert.Equal(expected, resolved.DesignerSessionPolicy);
    }

    [Fact]
    public void Resolve_AbsentDefaults_EqualsCrdDefaults()
    {
        var profile = new SyncProfile { Mappings = ThreeMappings, Vars = new Dictionary<string, string> { ["v"] = "1" } };

        var absent = ProfileResolver.Resolve(null, profile);
        var crdDefaults = ProfileResolver.Resolve(new SyncDefaults(), profile);

        Assert.Equal(CanonicalProfileJson.Write(crdDefaults), CanonicalProfileJson.Write(absent));
        Assert.Equal(30, absent.SyncPeriod);
        Assert.Equal(DesignerSessionPolicy.Proceed, absent.DesignerSessionPolicy);
        Assert.False(absent.DryRun);
        Assert.False(absent.Paused);
    }

    [Fact]
    public void ResolveAll_AbsentSyncDefaults_SameCanonicalTextBeforeAndAfterDefaulting()
    {
        const string profiles = """
            profiles:
              standard:
                syncPeriod: 15
                mappings:
                  - source: projects
                    destination: projects
              minimal:
                mappings:
                  - source: config
                    destination: config
            """;
        var absent = ParseSync(profiles);
        var empty = ParseSync("defaults: {}\n" + profiles);
        var explicitDefaults = ParseSync("""
            defaults:
              excludePatterns: ["**/.git/", "**/.gitkeep", "**/.resources/**"]
              syncPeriod: 30
              designerSessionPolicy: proceed
            """ + "\n" + profiles);

        Assert.Null(absent.Defaults);
        Assert.NotNull(empty.Defaults);
        var expected = CanonicalProfileJson.Write(ProfileResolver.ResolveAll(absent));
        Assert.Equal(expected, CanonicalProfileJson.Write(ProfileResolver.ResolveAll(empty)));
        Assert.Equal(expected, CanonicalProfileJson.Write(ProfileResolver.ResolveAll(explicitDefaults)));
        Assert.Equal(expected, CanonicalProfileJson.Write(ProfileResolver.ResolveAll(absent with { Defaults = null })));
    }

    [Fact]
    public void ResolveAll_EveryProfile_KeyedInOrdinalOrder()
    {
        var mapping = new SyncProfile { Mappings = ThreeMappings };
        var sync = new SyncSpec { Profiles = new Dictionary<string, SyncProfile> { ["b"] = mapping, ["A"] = mapping, ["a"] = mapping, ["_"] = mapping } };

        var resolved = ProfileResolver.ResolveAll(sync);

        Assert.Equal(["A", "_", "a", "b"], resolved.Keys);
        Assert.All(resolved.Values, r => Assert.Equal(ThreeMappings, r.Mappings));
    }

    [Fact]
    public void Select_NamedProfile_ResolvesIt()
    {
        var sync = ParseSync(GoldenSync);

        var selection = ProfileResolver.Select(sync, "alpha");

        Assert.True(selection.Succeeded);
        Assert.Null(selection.Error);
        Assert.Equal("alpha", selection.Name);
        Assert.Equal(CanonicalProfileJson.Write(ProfileResolver.ResolveAll(sync)["alpha"]), CanonicalProfileJson.Write(selection.Profile!));
    }

    [Fact]
    public void Select_UnknownNamedProfile_ErrorNamesItAndTheKnownOnes()
    {
        var sync = ParseSync(GoldenSync + "\n  default:\n    mappings:\n      - {source: a, destination: b}\n");

        var selection = ProfileResolver.Select(sync, "nope");

        Assert.False(selection.Succeeded);
        Assert.Null(selection.Profile);
        Assert.Equal("profile \"nope\" not found (profiles: \"alpha\", \"default\", \"zeta\")", selection.Error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Select_NoProfileRequested_PicksDefaultWhenItExists(string? requested)
    {
        var sync = ParseSync(GoldenSync + "\n  default:\n    mappings:\n      - {source: a, destination: b}\n");

        var selection = ProfileResolver.Select(sync, requested);

        Assert.True(selection.Succeeded, selection.Error);
        Assert.Equal(ProfileResolver.DefaultProfileName, selection.Name);
        Assert.Equal("a", Assert.Single(selection.Profile!.Mappings).Source);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("\t")]
    public void Select_NoProfileRequestedAndNoDefault_ClearError(string? requested)
    {
        var selection = ProfileResolver.Select(ParseSync(GoldenSync), requested);

        Assert.False(selection.Succeeded);
        Assert.Null(selection.Profile);
        Assert.Equal(
            "no profile requested and the resource has no \"default\" profile (profiles: \"alpha\", \"zeta\"); set the gateway's profile",
            selection.Error);
    }

    [Fact]
    public void Write_GoldenResource_MatchesSection7MemberOrderAndOmissions()
    {
        Assert.Equal(Golden, CanonicalProfileJson.Write(ProfileResolver.ResolveAll(ParseSync(GoldenSync))));
    }

    [Fact]
    public void Write_TwoIndependentResolutions_AreByteIdentical()
    {
        var first = CanonicalProfileJson.Write(ProfileResolver.ResolveAll(ParseSync(GoldenSync)));
        var second = CanonicalProfileJson.Write(ProfileResolver.ResolveAll(ParseSync(GoldenSync)));
        var sync = ParseSync(GoldenSync);
        var third = CanonicalProfileJson.Write(ProfileResolver.ResolveAll(sync));
        var fourth = CanonicalProfileJson.Write(ProfileResolver.ResolveAll(sync));

        Assert.Equal(first, second);
        Assert.Equal(first, third);
        Assert.Equal(third, fourth);
    }

    [Fact]
    public void Write_MapEntriesDeclaredInAnotherOrder_AreByteIdentical()
    {
        Assert.Equal(
            CanonicalProfileJson.Write(ProfileResolver.ResolveAll(ParseSync(GoldenSync))),
            CanonicalProfileJson.Write(ProfileResolver.ResolveAll(ParseSync(GoldenSyncReordered))));
    }

    [Fact]
    public void Write_EmptyOptionalMembers_AreOmittedAndScalarsAlwaysPresent()
    {
        var profile = new ResolvedProfile { Mappings = [new() { Source = "s", Destination = "d", Type = "", Required = false, Template = false, Patches = [] }] };

        Assert.Equal(
            """{"mappings":[{"source":"s","destination":"d"}],"syncPeriod":30,"dryRun":false,"designerSessionPolicy":"proceed","paused":false}""",
            CanonicalProfileJson.Write(profile));
        Assert.Equal(
            """{"p":{"mappings":[],"syncPeriod":30,"dryRun":false,"designerSessionPolicy":"proceed","paused":false}}""",
            CanonicalProfileJson.Write(new Dictionary<string, ResolvedProfile> { ["p"] = new() }));
        Assert.Equal("{}", CanonicalProfileJson.Write(new Dictionary<string, ResolvedProfile>()));
    }

    [Theory]
    [InlineData("<", "\\u003c")]
    [InlineData(">", "\\u003e")]
    [InlineData("&", "\\u0026")]
    [InlineData("\u2028", "\\u2028")]
    [InlineData("\u2029", "\\u2029")]
    [InlineData("\u0000", "\\u0000")]
    [InlineData("\u0001", "\\u0001")]
    [InlineData("\u000b", "\\u000b")]
    [InlineData("\u001f", "\\u001f")]
    [InlineData("\b", "\\b")]
    [InlineData("\f", "\\f")]
    [InlineData("\n", "\\n")]
    [InlineData("\r", "\\r")]
    [InlineData("\t", "\\t")]
    [InlineData("\"", "\\\"")]
    [InlineData("\\", "\\\\")]
    [InlineData("/", "/")]
    [InlineData("'", "'")]
    [InlineData("\u007f", "\u007f")]
    [InlineData("\u0085", "\u0085")]
    [InlineData("é", "é")]
    [InlineData("Zürich 日本", "Zürich 日本")]
    [InlineData("😀", "😀")]
    [InlineData("\ufeff", "\ufeff")]
    [InlineData("a<b>&c\u2028d", "a\\u003cb\\u003e\\u0026c\\u2028d")]
    public void Write_StringValues_EscapedAsGoEncodingJson(string value, string expected)
    {
        var profile = new ResolvedProfile { Mappings = [new() { Source = value, Destination = "d" }] };

        var text = CanonicalProfileJson.Write(profile);

        Assert.StartsWith("{\"mappings\":[{\"source\":\"" + expected + "\",\"destination\":\"d\"}]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_LoneSurrogate_BecomesReplacementCharacter()
    {
        // Built at run time: a lone surrogate does not survive theory-data serialization.
        var value = "a" + new string('\ud800', 1) + "b";

        var text = CanonicalProfileJson.Write(new ResolvedProfile { Mappings = [new() { Source = value, Destination = "d" }] });

        Assert.StartsWith("{\"mappings\":[{\"source\":\"a\\ufffdb\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_KeysNeedingEscapes_AreEscapedToo()
    {
        var text = CanonicalProfileJson.Write(new Dictionary<string, ResolvedProfile>
        {
            ["a<b"] = new() { Vars = new Dictionary<string, string> { ["k&"] = "v>" } },
        });

        Assert.StartsWith("{\"a\\u003cb\":{\"mappings\":[],\"vars\":{\"k\\u0026\":\"v\\u003e\"}", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_MapKeys_SortedByUtf8BytesLikeGo()
    {
        // U+FF01 sorts before U+1F600 in UTF-8 (EF BC 81 < F0 9F 98 80) but after it in UTF-16 (FF01 > D83D).
        var set = new Dictionary<string, string> { ["\U0001F600"] = "1", ["\uFF01"] = "2", ["b"] = "3", ["B"] = "4", ["é"] = "5" };
        var profile = new ResolvedProfile { Mappings = [new() { Source = "s", Destination = "d", Patches = [new() { Set = set }] }] };

        var text = CanonicalProfileJson.Write(profile);

        Assert.Contains("\"set\":{\"B\":\"4\",\"b\":\"3\",\"é\":\"5\",\"\uFF01\":\"2\",\"\U0001F600\":\"1\"}", text, StringComparison.Ordinal);
    }

    /// <summary>Parses a resource whose <c>spec.sync</c> is <paramref name="syncYaml"/> and returns the defaulted sync spec.</summary>
    private static SyncSpec ParseSync(string syncYaml)
    {
        var indented = string.Join('\n', syncYaml.Split('\n').Select(l => l.Length == 0 ? l : "    " + l));
        var result = GatewaySyncSerializer.Parse($"""
            apiVersion: stoker.io/v1alpha1
            kind: GatewaySync
            metadata:
              name: profiles
            spec:
              git:
                repo: https://github.com/example/ignition.git
                ref: main
              gateway:
                api:
                  secretName: gw-api-key
              sync:
            {indented}
            """);
        Assert.True(result.IsValid, result.Describe());
        return result.Resource.Spec.Sync;
    }
}
