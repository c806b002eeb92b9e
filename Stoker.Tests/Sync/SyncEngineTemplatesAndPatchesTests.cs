using System.Text;
using Stoker.Sync;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Templating;
using static Stoker.Tests.Sync.SyncHarness;

namespace Stoker.Tests.Sync;

/// <summary>Template data, content templates and JSON patches through the engine (docs/templates.md, docs/sync-engine.md).</summary>
public sealed class SyncEngineTemplatesAndPatchesTests : IDisposable
{
    private static readonly TemplateContext Blue = new()
    {
        GatewayName = "gw-blue",
        PodName = "gw-blue-0",
        Namespace = "prod",
        Ref = "refs/heads/main",
        Commit = "abc123",
        CRName = "my-stoker",
        Labels = new Dictionary<string, string> { ["site"] = "us-east-1", ["tier"] = "edge" },
        Vars = new Dictionary<string, string> { ["env"] = "production", ["region"] = "us-east" },
    };

    private readonly SyncHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Theory]
    [InlineData("{{.GatewayName}}", "gw-blue")]
    [InlineData("{{.Labels.site}}", "us-east-1")]
    [InlineData("sites/{{.Labels.tier}}/config", "sites/edge/config")]
    [InlineData("config/{{.Vars.region}}/overlay", "config/us-east/overlay")]
    [InlineData("no-template", "no-template")]
    [InlineData("{{.Namespace}}", "prod")]
    [InlineData("{{.Ref}}", "refs/heads/main")]
    [InlineData("{{.Commit}}", "abc123")]
    [InlineData("{{.CRName}}", "my-stoker")]
    [InlineData("{{.Vars.env}}", "production")]
    public void TemplateData_RendersEveryContextField(string template, string expected) =>
        Assert.Equal(expected, GoTemplate.RenderString(template, "path", TemplateData.Create(Blue)));

    [Fact]
    public void TemplatedDestination_RenderedInSync()
    {
        _h.Repo.WriteFile("src/a.txt", "a");
        _h.Commit();

        var result = _h.Sync(Profile(Dir("src", "sites/{{.Labels.tier}}/config")), Blue);

        Assert.Equal(["sites/edge/config/a.txt"], result.Added);
    }

    [Theory]
    [InlineData("{{.Vars.missing}}", "map has no entry for key \"missing\"")]
    [InlineData("{{.Labels.missing}}", "map has no entry for key \"missing\"")]
    [InlineData("{{.Foo}}", "can't evaluate field Foo")]
    public void MissingKey_FailsNamingKeyAndField(string destination, string reason)
    {
        _h.Repo.WriteFile("src/a.txt", "a");
        _h.Commit();

        var error = _h.SyncFails(Profile(Dir("src", destination)), Blue);

        Assert.StartsWith("mapping[0].destination: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Empty(Snapshot(_h.Data));
    }

    [Fact]
    public void VarsOrdinalAndPodName_Render()
    {
        var context = Blue with
        {
            PodName = "ignition-2",
            PodOrdinal = 0,
            Vars = new Dictionary<string, string> { ["projectName"] = "public-demo" },
        };
        var data = TemplateData.Create(context);

        Assert.Equal("public-demo-0", GoTemplate.RenderString("{{.Vars.projectName}}-{{.PodOrdinal}}", "p", data));
        Assert.Equal("system-ignition-2", GoTemplate.RenderString("system-{{.PodName}}", "p", data));
    }

    [Theory]
    [InlineData("pod-99", "3", 3)]
    [InlineData("my-gateway-2", null, 2)]
    [InlineData("my-deployment-abc12-xyz99", null, 0)]
    [InlineData("my-gateway-5", "not-a-number", 5)]
    public void PodOrdinal_FromLabelElsePodNameElseZero(string podName, string? indexLabel, int expected)
    {
        var labels = indexLabel is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["apps.kubernetes.io/pod-index"] = indexLabel };
        Assert.Equal(expected, TemplateContext.OrdinalOf(podName, labels));
    }

    [Fact]
    public void TemplateData_ExposesContextUnchanged()
    {
        var context = new TemplateContext
        {
            GatewayName = "gw-test",
            PodName = "ignition-0",
            CRName = "my-cr",
            Namespace = "my-ns",
            Ref = "refs/heads/main",
            Commit = "deadbeef",
            Vars = new Dictionary<string, string> { ["k"] = "v" },
            Labels = new Dictionary<string, string> { ["app"] = "ignition" },
        };

        var data = TemplateData.Create(context);

        Assert.Equal(TemplateData.TypeName, data.TypeName);
        Assert.Equal(
            new[] { "GatewayName", "PodName", "PodOrdinal", "Namespace", "Ref", "Commit", "CRName", "Labels", "Vars" }.Order(StringComparer.Ordinal),
            data.Fields.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("gw-test", data.Fields["GatewayName"]);
        Assert.Equal("ignition-0", data.Fields["PodName"]);
        Assert.Equal(0, data.Fields["PodOrdinal"]);
        Assert.Equal("my-cr", data.Fields["CRName"]);
        Assert.Equal("my-ns", data.Fields["Namespace"]);
        Assert.Equal("refs/heads/main", data.Fields["Ref"]);
        Assert.Equal("deadbeef", data.Fields["Commit"]);
        Assert.Same(context.Vars, data.Fields["Vars"]);
        Assert.Same(context.Labels, data.Fields["Labels"]);
    }

    [Fact]
    public void ContentTemplate_RendersJson()
    {
        _h.Repo.WriteFile("src/config.json", "{\"systemName\": \"{{.GatewayName}}\", \"mode\": \"{{.Vars.deploymentMode}}\"}");
        _h.Commit();
        var context = DefaultContext with { Vars = new Dictionary<string, string> { ["deploymentMode"] = "production" } };

        _h.Sync(Profile(new Mapping { Source = "src", Destination = "data", Template = true }), context);

        Assert.Equal("{\"systemName\": \"gw-site1\", \"mode\": \"production\"}", _h.ReadLive("data/config.json"));
    }

    [Fact]
    public void NulByteWithTemplate_Refused()
    {
        _h.Repo.WriteBytes("src/image.bin", [0x89, 0x50, 0x00, 0x7b, 0x7b]);
        _h.Commit();

        var error = _h.SyncFails(Profile(new Mapping { Source = "src", Destination = "data", Template = true }));

        Assert.Equal("templating data/image.bin: template=true on binary file is not supported: src/image.bin", error.Message);
    }

    [Fact]
    public void NoBraces_LeftByteIdentical()
    {
        var bytes = Encoding.UTF8.GetBytes("\uFEFFplain } text {  with a BOM and \r\n line ends\r\n");
        _h.Repo.WriteBytes("src/plain.txt", bytes);
        _h.Commit();

        _h.Sync(Profile(new Mapping { Source = "src", Destination = "data", Template = true }));

        Assert.Equal(bytes, System.IO.File.ReadAllBytes(_h.Live("data/plain.txt")));
    }

    [Fact]
    public void TemplateFlag_RendersOnlyFlaggedMappings()
    {
        _h.Repo.WriteFile("a/x.txt", "{{.GatewayName}}");
        _h.Repo.WriteFile("b/x.txt", "{{.GatewayName}}");
        _h.Commit();

        var result = _h.Sync(Profile(new Mapping { Source = "a", Destination = "t", Template = true }, Dir("b", "u")));

        Assert.Equal("gw-site1", _h.ReadLive("t/x.txt"));
        Assert.Equal("{{.GatewayName}}", _h.ReadLive("u/x.txt"));
        Assert.Equal(1, result.FilesRendered);
    }

    [Theory]
    [InlineData("{\"SystemName\":\"old\",\"enabled\":true}", "SystemName", "gateway-1", "{\"SystemName\":\"gateway-1\",\"enabled\":true}")]
    [InlineData("{\"enabled\":false}", "enabled", "true", "{\"enabled\":true}")]
    [InlineData("{\"port\":8088}", "port", "9090", "{\"port\":9090}")]
    [InlineData("{}", "networkInterfaces.0.address", "192.168.1.100", "{\"networkInterfaces\":[{\"address\":\"192.168.1.100\"}]}")]
    public void JsonPatch_ValueInferenceAndPaths(string original, string path, string value, string expected)
    {
        _h.Repo.WriteFile("src/config.json", original);
        _h.Commit();

        _h.Sync(Profile(Patched(Dir("src", "data"), "config.json", (path, value))));

        Assert.Equal(expected, _h.ReadLive("data/config.json"));
    }

    [Fact]
    public void JsonPatch_NonJsonDocument_Fails()
    {
        _h.Repo.WriteFile("src/config.json", "not json");
        _h.Commit();

        var error = _h.SyncFails(Profile(Patched(Dir("src", "data"), "config.json", ("a", "b"))));

        Assert.StartsWith("patching data/config.json: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("file is not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoPatches_FileCopiedUnchanged()
    {
        _h.Repo.WriteFile("src/config.json", "{ \"a\" : 1 }\n");
        _h.Commit();

        var result = _h.Sync(Profile(Dir("src", "data")));

        Assert.Equal("{ \"a\" : 1 }\n", _h.ReadLive("data/config.json"));
        Assert.Equal(0, result.FilesRendered);
    }

    [Fact]
    public void PatchFileGlob_AnchoredAtDirMappingDestination()
    {
        _h.Repo.WriteFile("core/system-properties/config.json", "{\"SystemName\":\"x\"}");
        _h.Commit();
        var context = DefaultContext with { GatewayName = "site-gateway" };

        _h.Sync(Profile(Patched(Dir("core", "config/resources/core"), "system-properties/config.json", ("SystemName", "{{.GatewayName}}"))), context);

        Assert.Equal("{\"SystemName\":\"site-gateway\"}", _h.ReadLive("config/resources/core/system-properties/config.json"));
    }

    [Fact]
    public void PatchStarJson_PatchesEveryTopLevelJsonFile()
    {
        _h.Repo.WriteFile("db/conn1.json", "{\"host\":\"a\"}");
        _h.Repo.WriteFile("db/conn2.json", "{\"host\":\"b\"}");
        _h.Repo.WriteFile("db/nested/conn3.json", "{\"host\":\"c\"}");
        _h.Commit();
        var context = DefaultContext with { Vars = new Dictionary<string, string> { ["dbHost"] = "db.prod.internal" } };

        _h.Sync(Profile(Patched(Dir("db", "db"), "*.json", ("host", "{{.Vars.dbHost}}"))), context);

        Assert.Equal("{\"host\":\"db.prod.internal\"}", _h.ReadLive("db/conn1.json"));
        Assert.Equal("{\"host\":\"db.prod.internal\"}", _h.ReadLive("db/conn2.json"));
        Assert.Equal("{\"host\":\"c\"}", _h.ReadLive("db/nested/conn3.json"));
    }

    [Fact]
    public void PatchTarget_OtherFilesByteIdentical()
    {
        _h.Repo.WriteFile("core/system-properties/config.json", "{\"SystemName\":\"x\"}");
        _h.Repo.WriteFile("core/other.json", "{ \"SystemName\" : \"untouched\" }");
        _h.Commit();

        _h.Sync(Profile(Patched(Dir("core", "core"), "system-properties/config.json", ("SystemName", "y"))));

        Assert.Equal("{ \"SystemName\" : \"untouched\" }", _h.ReadLive("core/other.json"));
        Assert.Equal("{\"SystemName\":\"y\"}", _h.ReadLive("core/system-properties/config.json"));
    }

    [Fact]
    public void FileMappingPatchWithoutFile_PatchesTheMappedFile()
    {
        _h.Repo.WriteFile("config/versions/.versions.json", "{\"other\":1}");
        _h.Commit();

        _h.Sync(Profile(Patched(File("config/versions/.versions.json", ".versions.json"), null, ("gatewayVersion", "2.5.0"))));

        Assert.Equal("{\"other\":1,\"gatewayVersion\":\"2.5.0\"}", _h.ReadLive(".versions.json"));
    }

    [Fact]
    public void MappingWithPatches_PatchedWithoutTemplateFlag()
    {
        _h.Repo.WriteFile("src/a.json", "{\"v\":\"{{.GatewayName}}\"}");
        _h.Commit();

        var result = _h.Sync(Profile(Patched(Dir("src", "data"), "a.json", ("n", "1"))));

        Assert.Equal("{\"v\":\"{{.GatewayName}}\",\"n\":1}", _h.ReadLive("data/a.json")); // content not templated
        Assert.Equal(1, result.FilesRendered);
    }

    [Fact]
    public void TemplateAndPatch_RenderedThenPatched()
    {
        _h.Repo.WriteFile("src/a.json", "{\"name\":\"{{.GatewayName}}\",\"port\":{{.Vars.port}}}");
        _h.Commit();
        var context = DefaultContext with { Vars = new Dictionary<string, string> { ["port"] = "8088" } };
        var mapping = Patched(new Mapping { Source = "src", Destination = "data", Template = true }, "a.json", ("port", "9090"));

        _h.Sync(Profile(mapping), context);

        // Without templating first, "{{.Vars.port}}" would not be valid JSON and the patch would fail.
        Assert.Equal("{\"name\":\"gw-site1\",\"port\":9090}", _h.ReadLive("data/a.json"));
    }

    [Fact]
    public void PatchGlobMatchingNonJsonFile_FailsNotValidJson()
    {
        _h.Repo.WriteFile("src/readme.md", "# not json");
        _h.Repo.WriteFile("src/a.json", "{}");
        _h.Commit();

        var error = _h.SyncFails(Profile(Patched(Dir("src", "data"), "*", ("a", "b"))));

        Assert.Contains("file is not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.Contains("data/readme.md", error.Message, StringComparison.Ordinal);
        Assert.Empty(Snapshot(_h.Data)); // checked before anything is written
    }

    private static Mapping Patched(Mapping mapping, string? file, params (string Path, string Value)[] set) => mapping with
    {
        Patches = [new JsonPatchSpec { File = file, Set = set.ToDictionary(s => s.Path, s => s.Value) }],
    };
}
