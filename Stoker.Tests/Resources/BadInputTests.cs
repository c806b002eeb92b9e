using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Grains.Interfaces.Validation;
using static Stoker.Tests.Resources.ResourceYaml;

namespace Stoker.Tests.Resources;

/// <summary>Every way a resource can be wrong is reported with the field path, the offending value and the rule.</summary>
public sealed class BadInputTests
{
    private const string Profile = "spec.sync.profiles.standard";
    private const string Mapping0 = Profile + ".mappings[0]";
    private const string Mapping1 = Profile + ".mappings[1]";
    private const string Patch0 = Mapping1 + ".patches[0]";
    private const string Required = "Required value";
    private const string AtLeastOneChar = "must be at least 1 character long";
    private const string Policies = "must be one of \"proceed\", \"wait\", \"fail\"";
    private const string Identifier = "var keys must be identifiers";
    private const string Absolute = "absolute paths not allowed";
    private const string Traversal = "path traversal (..) not allowed";

    internal static readonly IReadOnlyDictionary<string, FaultCase> Cases = new Dictionary<string, FaultCase>(StringComparer.Ordinal)
    {
        // Missing required fields.
        ["missing spec"] = new(With(r => Remove(r, "", "spec")), "spec", null, Required),
        ["missing spec.git"] = new(With(r => Remove(r, "spec", "git")), "spec.git", null, Required),
        ["missing git.repo"] = new(With(r => Remove(r, "spec.git", "repo")), "spec.git.repo", null, Required),
        ["missing git.ref"] = new(With(r => Remove(r, "spec.git", "ref")), "spec.git.ref", null, Required),
        ["missing spec.gateway"] = new(With(r => Remove(r, "spec", "gateway")), "spec.gateway", null, Required),
        ["missing gateway.api"] = new(With(r => Remove(r, "spec.gateway", "api")), "spec.gateway.api", null, Required),
        ["missing api.secretName"] = new(With(r => Remove(r, "spec.gateway.api", "secretName")), "spec.gateway.api.secretName", null, Required),
        ["missing spec.sync"] = new(With(r => Remove(r, "spec", "sync")), "spec.sync", null, Required),
        ["missing sync.profiles"] = new(With(r => Remove(r, "spec.sync", "profiles")), "spec.sync.profiles", null, Required),
        ["missing profile mappings"] = new(With(r => Remove(r, Profile, "mappings")), Profile + ".mappings", null, Required),
        ["missing mapping source"] = new(With(r => Remove(r, Mapping0, "source")), Mapping0 + ".source", null, Required),
        ["missing mapping destination"] = new(With(r => Remove(r, Mapping1, "destination")), Mapping1 + ".destination", null, Required),
        ["missing patch set"] = new(With(r => Remove(r, Patch0, "set")), Patch0 + ".set", null, Required),
        ["missing metadata.name"] = new(With(r => Remove(r, "metadata", "name")), "metadata.name", null, Required),
        ["missing githubApp.appId"] = new(With(r => Set(r, "spec.git", "auth", Node("""{"githubApp": {"installationId": 7, "privateKeySecretRef": {"name": "app", "key": "pem"}}}"""))),
            "spec.git.auth.githubApp.appId", null, Required),
        ["missing sshKey.secretRef"] = new(With(r => Set(r, "spec.git", "auth", Node("""{"sshKey": {}}"""))), "spec.git.auth.sshKey.secretRef", null, Required),

        // Empty strings and collections below their minimum.
        ["empty git.repo"] = new(With(r => Set(r, "spec.git", "repo", "")), "spec.git.repo", "\"\"", AtLeastOneChar),
        ["empty api.secretName"] = new(With(r => Set(r, "spec.gateway.api", "secretName", "")), "spec.gateway.api.secretName", "\"\"", AtLeastOneChar),
        ["empty token secretRef.name"] = new(With(r => Set(r, "spec.git", "auth", Node("""{"token": {"secretRef": {"name": "", "key": "token"}}}"""))),
            "spec.git.auth.token.secretRef.name", "\"\"", AtLeastOneChar),
        ["empty sshKey secretRef.key"] = new(With(r => Set(r, "spec.git", "auth", Node("""{"sshKey": {"secretRef": {"name": "deploy-key", "key": ""}}}"""))),
            "spec.git.auth.sshKey.secretRef.key", "\"\"", AtLeastOneChar),
        ["empty knownHosts secretRef.name"] = new(With(r => Set(r, "spec.git", "auth", Node("""{"sshKey": {"secretRef": {"name": "k", "key": "id"}, "knownHosts": {"secretRef": {"name": "", "key": "known_hosts"}}}}"""))),
            "spec.git.auth.sshKey.knownHosts.secretRef.name", "\"\"", AtLeastOneChar),
        ["empty githubApp privateKeySecretRef.key"] = new(With(r => Set(r, "spec.git", "auth", Node("""{"githubApp": {"appId": 1, "installationId": 2, "privateKeySecretRef": {"name": "app", "key": ""}}}"""))),
            "spec.git.auth.githubApp.privateKeySecretRef.key", "\"\"", AtLeastOneChar),
        ["empty mapping source"] = new(With(r => Set(r, Mapping0, "source", "")), Mapping0 + ".source", "\"\"", AtLeastOneChar),
        ["empty profiles"] = new(With(r => Set(r, "spec.sync", "profiles", new JsonObject())), "spec.sync.profiles", "{}", "must have at least 1 entry"),
        ["empty mappings"] = new(With(r => Set(r, Profile, "mappings", new JsonArray())), Profile + ".mappings", "[]", "must have at least 1 item"),
        ["empty patch set"] = new(With(r => Set(r, Patch0, "set", new JsonObject())), Patch0 + ".set", "{}", "must have at least 1 entry"),

        // Enums and ranges.
        ["mapping type link"] = new(With(r => Set(r, Mapping0, "type", "link")), Mapping0 + ".type", "\"link\"", "must be one of \"dir\", \"file\""),
        ["defaults designerSessionPolicy sometimes"] = new(With(r => Set(r, "spec.sync.defaults", "designerSessionPolicy", "sometimes")),
            "spec.sync.defaults.designerSessionPolicy", "\"sometimes\"", Policies),
        ["profile designerSessionPolicy sometimes"] = new(With(r => Set(r, Profile, "designerSessionPolicy", "sometimes")),
            Profile + ".designerSessionPolicy", "\"sometimes\"", Policies),
        ["defaults syncPeriod 4"] = new(With(r => Set(r, "spec.sync.defaults", "syncPeriod", 4)), "spec.sync.defaults.syncPeriod", "4", "must be greater than or equal to 5"),
        ["defaults syncPeriod 3601"] = new(With(r => Set(r, "spec.sync.defaults", "syncPeriod", 3601)), "spec.sync.defaults.syncPeriod", "3601", "must be less than or equal to 3600"),
        ["profile syncPeriod 4"] = new(With(r => Set(r, Profile, "syncPeriod", 4)), Profile + ".syncPeriod", "4", "must be greater than or equal to 5"),
        ["profile syncPeriod 3601"] = new(With(r => Set(r, Profile, "syncPeriod", 3601)), Profile + ".syncPeriod", "3601", "must be less than or equal to 3600"),

        // Wrong JSON types.
        ["gateway.port a string"] = new(With(r => Set(r, "spec.gateway", "port", "abc")), "spec.gateway.port", "\"abc\"", "must be of type integer"),
        ["gateway.port beyond int32"] = new(With(r => Set(r, "spec.gateway", "port", 3_000_000_000L)), "spec.gateway.port", "3000000000", "must fit in a 32-bit integer"),
        ["gateway.tls a string"] = new(With(r => Set(r, "spec.gateway", "tls", "yes")), "spec.gateway.tls", "\"yes\"", "must be of type boolean"),
        ["syncPeriod a fraction"] = new(With(r => Set(r, "spec.sync.defaults", "syncPeriod", 1.5)), "spec.sync.defaults.syncPeriod", "1.5", "must be of type integer"),
        ["mappings an object"] = new(With(r => Set(r, Profile, "mappings", new JsonObject())), Profile + ".mappings", "{}", "must be of type array"),
        ["defaults vars a list"] = new(With(r => Set(r, "spec.sync.defaults", "vars", new JsonArray("a"))), "spec.sync.defaults.vars", "[\"a\"]", "must be of type object"),
        ["mapping required a string"] = new(With(r => Set(r, Mapping0, "required", "yes")), Mapping0 + ".required", "\"yes\"", "must be of type boolean"),
        ["spec.paused a number"] = new(With(r => Set(r, "spec", "paused", 1)), "spec.paused", "1", "must be of type boolean"),
        ["appId a string"] = new(With(r => Set(r, "spec.git", "auth", Node("""{"githubApp": {"appId": "123", "installationId": 2, "privateKeySecretRef": {"name": "app", "key": "pem"}}}"""))),
            "spec.git.auth.githubApp.appId", "\"123\"", "must be of type integer"),
        ["var value a number"] = new(With(r => Set(r, "spec.sync.defaults.vars", "port", 8088)), "spec.sync.defaults.vars.port", "8088", "must be of type string"),
        ["null mapping"] = new(With(r => NodePath.Find(r, Profile, out _)!["mappings"]!.AsArray()[0] = null), Mapping0, "null", "must not be null"),
        ["null var value"] = new(With(r => Set(r, "spec.sync.defaults.vars", "empty", null)), "spec.sync.defaults.vars.empty", "null", "must not be null"),
        ["requests not int-or-string"] = new(With(r => Set(r, "spec.agent", "resources", Node("""{"requests": {"cpu": true}}"""))),
            "spec.agent.resources.requests.cpu", "true", "must be an integer or a string"),

        // Unknown fields, at every depth.
        ["unknown spec.foo"] = new(With(r => Set(r, "spec", "foo", "bar")), "spec.foo", null, "unknown field \"foo\""),
        ["unknown spec.gateway.prot"] = new(With(r => Set(r, "spec.gateway", "prot", 8043)), "spec.gateway.prot", null, "unknown field \"prot\""),
        ["unknown mapping destinaton"] = new(With(r => Rename(r, Mapping0, "destination", "destinaton")), Mapping0 + ".destinaton", null, "unknown field \"destinaton\"",
            Mapping0 + ".destination"),
        ["unknown profile mapping"] = new(With(r => Rename(r, Profile, "mappings", "mapping")), Profile + ".mapping", null, "unknown field \"mapping\"",
            Profile + ".mappings"),
        ["unknown metadata.bogus"] = new(With(r => Set(r, "metadata", "bogus", "x")), "metadata.bogus", null, "unknown field \"bogus\""),
        ["unknown top-level field"] = new(With(r => Set(r, "", "sepc", new JsonObject())), "sepc", null, "unknown field \"sepc\""),

        // Type metadata and object names.
        ["wrong apiVersion"] = new(With(r => Set(r, "", "apiVersion", "stoker.io/v1")), "apiVersion", "\"stoker.io/v1\"", "must be \"stoker.io/v1alpha1\""),
        ["missing apiVersion"] = new(With(r => Remove(r, "", "apiVersion")), "apiVersion", null, "must be \"stoker.io/v1alpha1\""),
        ["wrong kind"] = new(With(r => Set(r, "", "kind", "GatewaySyncs")), "kind", "\"GatewaySyncs\"", "must be \"GatewaySync\""),
        ["metadata.name with capitals and underscore"] = new(With(r => Set(r, "metadata", "name", "My_Name")), "metadata.name", "\"My_Name\"", "RFC 1123"),
        ["metadata.namespace with capitals"] = new(With(r => Set(r, "metadata", "namespace", "Sites")), "metadata.namespace", "\"Sites\"", "RFC 1123"),

        // Template variable names.
        ["defaults var key with dash"] = new(With(r => Set(r, "spec.sync.defaults.vars", "my-var", "x")), "spec.sync.defaults.vars.my-var", "\"my-var\"", Identifier),
        ["defaults var key with dot"] = new(With(r => Set(r, "spec.sync.defaults.vars", "site.name", "x")), "spec.sync.defaults.vars[\"site.name\"]", "\"site.name\"", Identifier),
        ["defaults var key starting with digit"] = new(With(r => Set(r, "spec.sync.defaults.vars", "1abc", "x")), "spec.sync.defaults.vars.1abc", "\"1abc\"", Identifier),
        ["profile var key with dash"] = new(With(r => Set(r, Profile + ".vars", "my-var", "x")), Profile + ".vars.my-var", "\"my-var\"", Identifier),
        ["profile var key with dot"] = new(With(r => Set(r, Profile + ".vars", "site.name", "x")), Profile + ".vars[\"site.name\"]", "\"site.name\"", Identifier),
        ["profile var key starting with digit"] = new(With(r => Set(r, Profile + ".vars", "1abc", "x")), Profile + ".vars.1abc", "\"1abc\"", Identifier),

        // Paths that leave the repository or the data directory.
        ["absolute source"] = new(With(r => Set(r, Mapping0, "source", "/etc")), Mapping0 + ".source", "\"/etc\"", Absolute),
        ["absolute destination"] = new(With(r => Set(r, Mapping0, "destination", "/data")), Mapping0 + ".destination", "\"/data\"", Absolute),
        ["drive-letter destination"] = new(With(r => Set(r, Mapping0, "destination", "C:/x")), Mapping0 + ".destination", "\"C:/x\"", Absolute),
        ["traversal in source"] = new(With(r => Set(r, Mapping0, "source", "../secrets")), Mapping0 + ".source", "\"../secrets\"", Traversal),
        ["traversal in destination"] = new(With(r => Set(r, Mapping0, "destination", "../outside")), Mapping0 + ".destination", "\"../outside\"", Traversal),
        ["traversal mid-path"] = new(With(r => Set(r, Mapping0, "destination", "a/../b")), Mapping0 + ".destination", "\"a/../b\"", Traversal),
        ["traversal in patch file glob"] = new(With(r => Set(r, Patch0, "file", "../*.json")), Patch0 + ".file", "\"../*.json\"", Traversal),
        ["absolute patch file glob"] = new(With(r => Set(r, Patch0, "file", "/etc/*.json")), Patch0 + ".file", "\"/etc/*.json\"", Absolute),
        ["absolute source in a dotted profile name"] = new(With(r =>
            {
                var profiles = NodePath.Object(r, "spec.sync.profiles");
                var profile = profiles["standard"]!;
                profiles.Remove("standard");
                profile["mappings"]![0]!["source"] = "/etc";
                profiles["site.a"] = profile;
            }),
            "spec.sync.profiles[\"site.a\"].mappings[0].source", "\"/etc\"", Absolute),

        // Templates that cannot parse.
        ["unclosed template in destination"] = new(With(r => Set(r, Mapping1, "destination", "config/{{.GatewayName")),
            Mapping1 + ".destination", "\"config/{{.GatewayName\"", "invalid template: "),
        ["unclosed template in source"] = new(With(r => Set(r, Mapping1, "source", "config/{{.Vars.site")), Mapping1 + ".source", "\"config/{{.Vars.site\"", "invalid template: "),
        ["unclosed template in patch value"] = new(With(r => Set(r, Patch0 + ".set", "systemName", "{{.GatewayName")),
            Patch0 + ".set.systemName", "\"{{.GatewayName\"", "invalid template: "),

        // Durations, credentials, ports, pull policy.
        ["polling interval in words"] = new(With(r => Set(r, "spec.polling", "interval", "5 minutes")), "spec.polling.interval", "\"5 minutes\"", "must be a duration"),
        ["polling interval not a duration"] = new(With(r => Set(r, "spec.polling", "interval", "abc")), "spec.polling.interval", "\"abc\"", "must be a duration"),
        ["polling interval without unit"] = new(With(r => Set(r, "spec.polling", "interval", "60")), "spec.polling.interval", "\"60\"", "must be a duration"),
        ["two auth methods"] = new(With(r => Set(r, "spec.git", "auth", Node("""{"token": {"secretRef": {"name": "t", "key": "token"}}, "sshKey": {"secretRef": {"name": "k", "key": "id"}}}"""))),
            "spec.git.auth", "{sshKey, token}", "set at most one of sshKey, githubApp, token"),
        ["githubApp appId 0"] = new(With(r => Set(r, "spec.git", "auth", Node("""{"githubApp": {"appId": 0, "installationId": 2, "privateKeySecretRef": {"name": "app", "key": "pem"}}}"""))),
            "spec.git.auth.githubApp.appId", "0", "must be a positive GitHub App ID"),
        ["githubApp installationId negative"] = new(With(r => Set(r, "spec.git", "auth", Node("""{"githubApp": {"appId": 1, "installationId": -2, "privateKeySecretRef": {"name": "app", "key": "pem"}}}"""))),
            "spec.git.auth.githubApp.installationId", "-2", "must be a positive installation ID"),
        ["githubApp apiBaseURL not a URL"] = new(With(r => Set(r, "spec.git", "auth", Node("""{"githubApp": {"appId": 1, "installationId": 2, "privateKeySecretRef": {"name": "app", "key": "pem"}, "apiBaseURL": "not a url"}}"""))),
            "spec.git.auth.githubApp.apiBaseURL", "\"not a url\"", "must be an absolute http(s) URL"),
        ["githubApp apiBaseURL not http"] = new(With(r => Set(r, "spec.git", "auth", Node("""{"githubApp": {"appId": 1, "installationId": 2, "privateKeySecretRef": {"name": "app", "key": "pem"}, "apiBaseURL": "ftp://github.example.com"}}"""))),
            "spec.git.auth.githubApp.apiBaseURL", "\"ftp://github.example.com\"", "must be an absolute http(s) URL"),
        ["gateway.port 70000"] = new(With(r => Set(r, "spec.gateway", "port", 70000)), "spec.gateway.port", "70000", "must be a TCP port between 1 and 65535"),
        ["gateway.port 0"] = new(With(r => Set(r, "spec.gateway", "port", 0)), "spec.gateway.port", "0", "must be a TCP port between 1 and 65535"),
        ["git.ref with a traversal"] = new(With(r => Set(r, "spec.git", "ref", "refs/heads/../../x")), "spec.git.ref", "\"refs/heads/../../x\"", "must be a valid git ref name"),
        ["git.ref with a line break"] = new(With(r => Set(r, "spec.git", "ref", "main\nfail: forged")), "spec.git.ref", "\"main\\nfail: forged\"", "must be a valid git ref name"),
        ["git.ref of 256 bytes"] = new(With(r => Set(r, "spec.git", "ref", new string('a', 256))), "spec.git.ref", "\"" + new string('a', 76) + "...", "must be a valid git ref name: must be at most 255 bytes (is 256)"),
        ["requested-ref annotation with a space"] = new(With(r => Set(r, "metadata", "annotations", Node("""{"stoker.io/requested-ref": "v1 .0"}"""))),
            "metadata.annotations[\"stoker.io/requested-ref\"]", "\"v1 .0\"", "must be a valid git ref name"),
        ["agent pullPolicy Sometimes"] = new(With(r => Set(r, "spec.agent.image", "pullPolicy", "Sometimes")),
            "spec.agent.image.pullPolicy", "\"Sometimes\"", "must be one of \"Always\", \"IfNotPresent\", \"Never\""),

        // Text that is not one well-formed YAML mapping.
        ["tab indentation"] = new(ReplaceLine("ref: main", "\tref: main"), "(document)", null, $"line {LineOf("ref: main")}, column "),
        ["over-indented key"] = new(ReplaceLine("ref: main", "      ref: main"), "(document)", null, $"line {LineOf("ref: main")}, column "),
        ["unterminated quote"] = new(ReplaceLine("- source: \"config/{{.GatewayName}}\"", "          - source: \"config/{{.GatewayName}}"), "(document)", null, "line "),
        ["duplicate key"] = new(ReplaceLine("ref: main", "    ref: main\n    ref: develop"), "(document)", null,
            $"line {LineOf("ref: main") + 1}, column 5: mapping key \"ref\" already defined"),
        ["empty document"] = new("# nothing here\n", "(document)", null, "the document is empty"),
        ["two documents"] = new(Valid + "---\n" + Valid, "(document)", null, "expected one resource, found 2 documents"),
        ["a list instead of a resource"] = new("- a\n- b\n", "(document)", null, "a resource must be a mapping/object, found [\"a\",\"b\"]"),
    };

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Cases.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    [Fact]
    public void Parse_BaseResource_IsValid()
    {
        var result = GatewaySyncSerializer.Parse(Valid);

        Assert.True(result.IsValid, result.Describe());
    }

    [Fact]
    public void Cases_Table_HasAtLeast45Faults() => Assert.True(Cases.Count >= 45, $"{Cases.Count} cases");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Parse_OneFault_ReportsFieldValueAndRule(string name)
    {
        var fault = Cases[name];

        var result = GatewaySyncSerializer.Parse(fault.Yaml);

        var report = $"{name}:{Environment.NewLine}{result.Describe()}{Environment.NewLine}--- input ---{Environment.NewLine}{fault.Yaml}";
        Assert.False(result.IsValid, report);
        Assert.Null(result.Resource);
        var violation = Assert.Single(result.Violations, v => v.Field == fault.Field);
        Assert.Equal(fault.Value, violation.Value);
        Assert.Contains(fault.RuleFragment, violation.Rule, StringComparison.Ordinal);
        Assert.Equal(
            fault.AlsoFields.Append(fault.Field).Order(StringComparer.Ordinal),
            result.Violations.Select(v => v.Field).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ToString_EveryViolation_NamesFieldValueAndRule(string name)
    {
        foreach (var violation in GatewaySyncSerializer.Parse(Cases[name].Yaml).Violations)
        {
            var text = violation.ToString();
            Assert.StartsWith(violation.Field + ": ", text, StringComparison.Ordinal);
            Assert.EndsWith(violation.Rule, text, StringComparison.Ordinal);
            if (violation.Value is not null)
            {
                Assert.Contains(": " + violation.Value + ": ", text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void ToString_WithAndWithoutValue_UsesColonSeparatedForm()
    {
        Assert.Equal("spec.git.repo: \"\": must be at least 1 character long", new ResourceViolation("spec.git.repo", "\"\"", "must be at least 1 character long").ToString());
        Assert.Equal("spec.git: Required value", new ResourceViolation("spec.git", null, "Required value").ToString());
    }

    [Fact]
    public void Parse_ManySemanticFaults_ReportsEveryOne()
    {
        var yaml = With(r =>
        {
            Set(r, "spec.git", "auth", Node("""{"token": {"secretRef": {"name": "t", "key": "token"}}, "githubApp": {"appId": 0, "installationId": 2, "privateKeySecretRef": {"name": "app", "key": "pem"}}}"""));
            Set(r, "spec.polling", "interval", "5 minutes");
            Set(r, "spec.gateway", "port", 70000);
            Set(r, "spec.agent.image", "pullPolicy", "Sometimes");
            Set(r, "spec.sync.defaults.vars", "my-var", "x");
            Set(r, Mapping0, "source", "/etc");
            Set(r, Mapping1, "destination", "a/../b");
            Set(r, Patch0 + ".set", "systemName", "{{.GatewayName");
        });

        AssertFields(yaml,
            "spec.git.auth", "spec.git.auth.githubApp.appId", "spec.polling.interval", "spec.gateway.port", "spec.agent.image.pullPolicy",
            "spec.sync.defaults.vars.my-var", Mapping0 + ".source", Mapping1 + ".destination", Patch0 + ".set.systemName");
    }

    [Fact]
    public void Parse_StructuralAndSemanticFaultsTogether_ReportsEveryOne()
    {
        var yaml = With(r =>
        {
            Set(r, "", "apiVersion", "stoker.io/v1");
            Set(r, "metadata", "bogus", "x");
            Set(r, "spec.git", "repo", "");
            Set(r, "spec.gateway", "prot", 8043);
            Set(r, "spec.gateway", "tls", "yes");
            Set(r, "spec.sync.defaults", "designerSessionPolicy", "sometimes");
            Set(r, Profile, "syncPeriod", 4);
            Set(r, "spec.polling", "interval", "abc");
            Set(r, Profile + ".vars", "my-var", "x");
            Set(r, Mapping0, "destination", "/data");
            Set(r, Mapping1, "destination", "config/{{.GatewayName");
        });

        AssertFields(yaml,
            "apiVersion", "metadata.bogus", "spec.git.repo", "spec.gateway.prot", "spec.gateway.tls", "spec.sync.defaults.designerSessionPolicy",
            Profile + ".syncPeriod", "spec.polling.interval", Profile + ".vars.my-var", Mapping0 + ".destination", Mapping1 + ".destination");
    }

    [Fact]
    public void Parse_SameFaultInEveryProfile_ReportsProfilesInNameOrder()
    {
        var yaml = With(r =>
        {
            var profiles = NodePath.Object(r, "spec.sync.profiles");
            var standard = profiles["standard"]!;
            profiles.Remove("standard");
            foreach (var name in new[] { "zulu", "alpha", "mike" })
            {
                var copy = standard.DeepClone().AsObject();
                copy["mappings"]![0]!["source"] = "/" + name;
                profiles[name] = copy;
            }
        });

        var fields = GatewaySyncSerializer.Parse(yaml).Violations.Select(v => v.Field);

        Assert.Equal(
            ["spec.sync.profiles.alpha.mappings[0].source", "spec.sync.profiles.mike.mappings[0].source", "spec.sync.profiles.zulu.mappings[0].source"],
            fields);
    }

    [Fact]
    public void Parse_JsonText_ReportsTheSameViolationsAsYaml()
    {
        var node = YamlJson.ReadOne(Cases["absolute source"].Yaml);

        var fromJson = GatewaySyncSerializer.Parse(node.ToJsonString());

        Assert.Equal(GatewaySyncSerializer.Parse(Cases["absolute source"].Yaml).Violations, fromJson.Violations);
    }

    private static void AssertFields(string yaml, params string[] expected)
    {
        var result = GatewaySyncSerializer.Parse(yaml);

        Assert.Null(result.Resource);
        Assert.True(
            expected.Order(StringComparer.Ordinal).SequenceEqual(result.Violations.Select(v => v.Field).Order(StringComparer.Ordinal)),
            $"expected:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", expected.Order(StringComparer.Ordinal))}{Environment.NewLine}got:{Environment.NewLine}  {result.Describe().Replace(Environment.NewLine, Environment.NewLine + "  ", StringComparison.Ordinal)}");
    }

    private static JsonNode Node(string json) => JsonNode.Parse(json)!;
}
