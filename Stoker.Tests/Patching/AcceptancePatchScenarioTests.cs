using Stoker.Sync.Patching;

namespace Stoker.Tests.Patching;

// The patch cases of the original operator's acceptance list that belong to the patch layer (those about the
// sync plan and its hook order are covered with the sync engine). Values are passed already
// rendered, as the sync engine renders `{{...}}` before calling the patcher.
public sealed class AcceptancePatchScenarioTests
{
    // G144: string value, bool and number inference, nested array path, non-JSON document.
    [Fact]
    public void StringValue_IsQuoted()
    {
        Assert.Equal("{\"SystemName\":\"gateway-1\",\"enabled\":true}", Apply("{\"SystemName\":\"old\",\"enabled\":true}", "SystemName", "gateway-1"));
    }

    [Fact]
    public void BoolInference_StoresBoolean()
    {
        Assert.Equal("{\"enabled\":true}", Apply("{\"enabled\":false}", "enabled", "true"));
    }

    [Fact]
    public void NumberInference_StoresNumber()
    {
        Assert.Equal("{\"port\":9090}", Apply("{\"port\":8088}", "port", "9090"));
    }

    [Fact]
    public void NestedArrayPath_ReplacesElementMember()
    {
        Assert.Equal(
            "{\"networkInterfaces\":[{\"address\":\"192.168.1.100\"}]}",
            Apply("{\"networkInterfaces\":[{\"address\":\"10.0.0.1\"}]}", "networkInterfaces.0.address", "192.168.1.100"));
    }

    [Fact]
    public void NonJsonDocument_Fails()
    {
        var e = Assert.Throws<JsonPatchException>(() => Apply("not json", "key", "value"));

        Assert.Contains("file is not valid JSON", e.Message, StringComparison.Ordinal);
    }

    // G146: dir mapping `config/resources/core`, patch `file: system-properties/config.json`.
    [Fact]
    public void DirMappingPatchWithFile_PatchesThatFile()
    {
        var staging = new Dictionary<string, string>
        {
            ["config/resources/core/system-properties/config.json"] = "{\"SystemName\":\"old-name\",\"port\":8088}",
        };

        PatchStaging(staging, "config/resources/core", isFileMapping: false, "system-properties/config.json", ("SystemName", "site-gateway"));

        Assert.Contains("\"SystemName\":\"site-gateway\"", staging["config/resources/core/system-properties/config.json"], StringComparison.Ordinal);
    }

    // G147: `file: *.json` patches both connection files.
    [Fact]
    public void GlobPatch_PatchesEveryMatchingFile()
    {
        var staging = new Dictionary<string, string>
        {
            ["config/db-connections/conn1.json"] = "{\"host\":\"old-host\"}",
            ["config/db-connections/conn2.json"] = "{\"host\":\"old-host\"}",
        };

        PatchStaging(staging, "config/db-connections", isFileMapping: false, "*.json", ("host", "db.prod.internal"));

        Assert.All(staging.Values, content => Assert.Contains("\"host\":\"db.prod.internal\"", content, StringComparison.Ordinal));
    }

    // G148: a patch targeting system-properties/config.json leaves other.json untouched.
    [Fact]
    public void NonMatchingFile_IsLeftByteIdentical()
    {
        const string original = "{ \"key\" : \"original\" }\n";
        var staging = new Dictionary<string, string> { ["config/resources/other.json"] = original };

        PatchStaging(staging, "config/resources", isFileMapping: false, "system-properties/config.json", ("key", "changed"));

        Assert.Equal(original, staging["config/resources/other.json"]);
    }

    // G149: file mapping `config/versions/.versions.json`, patch without `file`.
    [Fact]
    public void FileMappingPatchWithoutFile_PatchesMappedFile()
    {
        var staging = new Dictionary<string, string> { ["config/versions/.versions.json"] = "{\"gatewayVersion\":\"1.0.0\"}" };

        PatchStaging(staging, "config/versions/.versions.json", isFileMapping: true, null, ("gatewayVersion", "2.5.0"));

        Assert.Equal("{\"gatewayVersion\":\"2.5.0\"}", staging["config/versions/.versions.json"]);
    }

    // G152: a glob that matches a non-JSON file fails with `file is not valid JSON`.
    [Fact]
    public void GlobMatchingNonJsonFile_FailsNamingFile()
    {
        var staging = new Dictionary<string, string>
        {
            ["config/a.json"] = "{\"host\":\"x\"}",
            ["config/notes.txt"] = "host = x\n",
        };

        var e = Assert.Throws<JsonPatchException>(() => PatchStaging(staging, "config", isFileMapping: false, "*", ("host", "y")));

        Assert.Equal("notes.txt", e.FileName);
        Assert.StartsWith("notes.txt: file is not valid JSON (line 1, column ", e.Message, StringComparison.Ordinal);
    }

    private static string Apply(string json, string path, string value) =>
        JsonPatcher.Apply(json, [new KeyValuePair<string, string>(path, value)], "config.json");

    // The sync engine's per-file hook in miniature: staged files keyed by their staging-relative path,
    // the mapping root per §10.2, match, patch, write back.
    private static void PatchStaging(
        Dictionary<string, string> staging, string destination, bool isFileMapping, string? fileGlob, params (string Path, string Value)[] set)
    {
        var root = isFileMapping ? destination[..Math.Max(0, destination.LastIndexOf('/'))] : destination;
        foreach (var stagedPath in staging.Keys.Order(StringComparer.Ordinal).ToList())
        {
            var relative = stagedPath[(root.Length + 1)..];
            if (PatchTargets.Matches(fileGlob, relative, isFileMapping, destination))
            {
                staging[stagedPath] = JsonPatcher.Apply(
                    staging[stagedPath], set.Select(s => new KeyValuePair<string, string>(s.Path, s.Value)), relative);
            }
        }
    }
}
