using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Silo.Api;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Api;

/// <summary>The manifests folder: files dropped in, changed, removed, broken and moved, against a real silo.</summary>
public sealed class ManifestsFolderTests(ControlPlaneFixtureWithRepo fixture) : IClassFixture<ControlPlaneFixtureWithRepo>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task FilesAdded_MultiDocumentListAndSubfolder_EveryResourceAppliedWithItsFile()
    {
        using var folder = new TempDirectory("manifests");
        await using var api = await StartAsync(folder);
        var store = Store(api);

        Write(folder, "two.yaml", Doc("one", "add") + "\n---\n" + Doc("two", "add"));
        var list = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = new JsonArray(YamlJson.ReadOne(Doc("three", "add"))) };
        Write(folder, "sub/list.json", list.ToJsonString());
        Write(folder, ".hidden.yaml", Doc("hidden", "add"));
        Write(folder, "notes.txt", "not: [a manifest");

        var applied = await Eventually.Until(() => store.ListAsync("add"), l => l.Count == 3, Timeout, "three resources applied");

        Assert.Equal(["one", "three", "two"], applied.Select(r => r.Metadata.Name));
        Assert.Equal(folder.Combine("two.yaml"), applied[0].Metadata.Annotations![ManifestsFolderReconciler.SourceAnnotation]);
        Assert.Equal(folder.Combine("sub", "list.json"), applied[1].Metadata.Annotations![ManifestsFolderReconciler.SourceAnnotation]);
        Assert.DoesNotContain(api.Logs.Lines, l => l.Contains("notes.txt", StringComparison.Ordinal) || l.Contains("hidden", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SecretBesideAGatewaySync_TheOriginalsPattern_GatewaySyncAppliedSecretLeftOutWithAWarning()
    {
        using var folder = new TempDirectory("manifests");
        await using var api = await StartAsync(folder);
        var store = Store(api);
        const string Secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ignition-api-key\n  namespace: mixed\nstringData:\n  apiKey: k\n";

        Write(folder, "site.yaml", Secret + "---\n" + Doc("site", "mixed"));

        var applied = await Eventually.Until(() => store.GetAsync("mixed", "site"), r => r is not null, Timeout, "the GatewaySync applied");
        Assert.Equal("site", applied!.Metadata.Name);
        var logs = await Eventually.Until(() => Task.FromResult(api.Logs.Text), t => t.Contains("Manifest site.yaml: 1 v1 Secret document(s) left out", StringComparison.Ordinal),
            Timeout, "the left-out Secret reported");
        Assert.DoesNotContain("is invalid", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileChanged_ResourceReappliedWithTheNewSpec()
    {
        using var folder = new TempDirectory("manifests");
        await using var api = await StartAsync(folder);
        var store = Store(api);
        Write(folder, "gs.yaml", Doc("gs", "change"));
        var first = await Eventually.Until(() => store.GetAsync("change", "gs"), r => r is not null, Timeout, "applied");

        Write(folder, "gs.yaml", Doc("gs", "change", destination: "elsewhere"));

        var changed = await Eventually.Until(() => store.GetAsync("change", "gs"), r => r!.Metadata.Generation == 2, Timeout, "re-applied");
        Assert.Equal("elsewhere", changed!.Spec.Sync.Profiles["default"].Mappings[0].Destination);
        Assert.Equal(first!.Metadata.Uid, changed.Metadata.Uid);
    }

    [Fact]
    public async Task FileRemoved_ItsResourcesDeletedOthersKept()
    {
        using var folder = new TempDirectory("manifests");
        await using var api = await StartAsync(folder);
        var store = Store(api);
        Write(folder, "a.yaml", Doc("a1", "remove") + "\n---\n" + Doc("a2", "remove"));
        Write(folder, "b.yaml", Doc("b", "remove"));
        await Eventually.Until(() => store.ListAsync("remove"), l => l.Count == 3, Timeout, "three resources applied");

        File.Delete(folder.Combine("a.yaml"));

        var left = await Eventually.Until(() => store.ListAsync("remove"), l => l.Count == 1, Timeout, "a.yaml's resources deleted");
        Assert.Equal("b", left.Single().Metadata.Name);
        Assert.Null(await store.GetAsync("remove", "a1"));
    }

    [Fact]
    public async Task InvalidFile_EveryViolationLoggedWithTheFileAndThePreviousResourceUntouched()
    {
        using var folder = new TempDirectory("manifests");
        await using var api = await StartAsync(folder);
        var store = Store(api);
        Write(folder, "gs.yaml", Doc("gs", "invalid"));
        var before = await Eventually.Until(() => store.GetAsync("invalid", "gs"), r => r is not null, Timeout, "applied");

        Write(folder, "gs.yaml", Manifests.Invalid("gs", "invalid"));

        // A pass can catch the file half-written (the periodic rescan ignores the debounce), which is reported too;
        // wait for the report of the whole file.
        const string Report = "Manifest gs.yaml is invalid (4 violation(s)); the 1 resource(s) it last declared stay as applied";
        var logs = await Eventually.Until(() => Task.FromResult(api.Logs.Text), t => t.Contains(Report, StringComparison.Ordinal), Timeout, "the invalid file reported");
        Assert.Contains("Manifest gs.yaml: document 1: spec.git.repo: Required value", logs, StringComparison.Ordinal);
        Assert.Contains("Manifest gs.yaml: document 1: spec.sync.defaults.syncPeriod: 4: must be greater than or equal to 5", logs, StringComparison.Ordinal);
        Assert.Contains("Manifest gs.yaml: document 1: spec.colour: unknown field \"colour\"", logs, StringComparison.Ordinal);
        Assert.Contains("Manifest gs.yaml: document 1: spec.sync.profiles.default.mappings[0].destination: \"../etc\"", logs, StringComparison.Ordinal);
        var after = await store.GetAsync("invalid", "gs");
        Assert.Equal(before!.Metadata.Generation, after!.Metadata.Generation);
        Assert.Equal(GatewaySyncSerializer.ToJson(before with { Status = null }), GatewaySyncSerializer.ToJson(after with { Status = null }));

        Write(folder, "gs.yaml", Doc("gs", "invalid", destination: "fixed"));
        var fixedUp = await Eventually.Until(() => store.GetAsync("invalid", "gs"), r => r!.Metadata.Generation == 2, Timeout, "the corrected file applied");
        Assert.Equal("fixed", fixedUp!.Spec.Sync.Profiles["default"].Mappings[0].Destination);
    }

    [Fact]
    public async Task ResourceMovedToAnotherFile_NeverDeleted()
    {
        using var folder = new TempDirectory("manifests");
        await using var api = await StartAsync(folder);
        var store = Store(api);
        Write(folder, "a.yaml", Doc("stays", "move") + "\n---\n" + Doc("moves", "move"));
        var before = await Eventually.Until(() => store.GetAsync("move", "moves"), r => r is not null, Timeout, "applied");

        // Added to its new file first, then removed from the old one: whichever the watcher sees first, one file
        // always declares it.
        Write(folder, "b.yaml", Doc("moves", "move"));
        Write(folder, "a.yaml", Doc("stays", "move"));

        var moved = await Eventually.Until(() => store.GetAsync("move", "moves"),
            r => r?.Metadata.Annotations?[ManifestsFolderReconciler.SourceAnnotation] == folder.Combine("b.yaml"), Timeout, "owned by b.yaml");
        Assert.Equal(before!.Metadata.Uid, moved!.Metadata.Uid);
        Assert.DoesNotContain(api.Logs.Lines, l => l.Contains("GatewaySync move/moves deleted", StringComparison.Ordinal));
        Assert.Equal(2, (await store.ListAsync("move")).Count);
    }

    [Fact]
    public async Task Restart_FileRemovedWhileDown_DeletedAtStartButAnInvalidFileKeepsItsResource()
    {
        using var folder = new TempDirectory("manifests");
        Write(folder, "gone.yaml", Doc("gone", "restart"));
        Write(folder, "broken.yaml", Doc("kept", "restart"));
        await using (var first = await StartAsync(folder))
        {
            await Eventually.Until(() => Store(first).ListAsync("restart"), l => l.Count == 2, Timeout, "both applied");
        }

        File.Delete(folder.Combine("gone.yaml"));
        Write(folder, "broken.yaml", "spec: [unclosed");
        await using var second = await StartAsync(folder);

        await Eventually.Until(() => Store(second).GetAsync("restart", "gone"), r => r is null, Timeout, "the removed file's resource deleted");
        Assert.NotNull(await Store(second).GetAsync("restart", "kept"));

        // broken.yaml was written just before the start: it is read once it has been still for the debounce.
        await Eventually.Until(() => Task.FromResult(second.Logs.Text), t => t.Contains("Manifest broken.yaml: document 1: (document): line", StringComparison.Ordinal),
            Timeout, "the broken file reported");
        Assert.NotNull(await Store(second).GetAsync("restart", "kept"));
    }

    [Fact]
    public async Task ScanAsync_UnchangedFolder_SendsNothingAgain()
    {
        using var folder = new TempDirectory("manifests");
        Write(folder, "gs.yaml", Doc("gs", "rescan"));
        var store = new GatewaySyncStore(fixture.ControlPlane.Client);
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var reconciler = new ManifestsFolderReconciler(store, Options.Create(new ManifestsOptions { Path = folder.Path }), NullLogger<ManifestsFolderReconciler>.Instance, clock);

        clock.Advance(TimeSpan.FromSeconds(1)); // the file has settled
        var first = await reconciler.ScanAsync(CancellationToken.None);
        var second = await reconciler.ScanAsync(CancellationToken.None);
        Write(folder, "gs.yaml", Doc("gs", "rescan", destination: "changed"));
        clock.SetUtcNow(TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(1));
        var third = await reconciler.ScanAsync(CancellationToken.None);

        Assert.Equal(new ManifestScanResult(1, 0, 0, 0), first);
        Assert.Equal(new ManifestScanResult(0, 0, 0, 0), second);
        Assert.Equal(new ManifestScanResult(1, 0, 0, 0), third);
        Assert.Equal(2, (await store.GetAsync("rescan", "gs"))!.Metadata.Generation);
    }

    [Fact]
    public async Task ScanAsync_FileWrittenWithinTheDebounce_KeepsWhatItDeclaredUntilItSettles()
    {
        using var folder = new TempDirectory("manifests");
        var file = folder.Combine("gs.yaml");
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        Write(folder, "gs.yaml", Doc("first", "settle") + "\n---\n" + Doc("second", "settle"));
        File.SetLastWriteTimeUtc(file, clock.GetUtcNow().UtcDateTime - TimeSpan.FromSeconds(10));
        var store = new GatewaySyncStore(fixture.ControlPlane.Client);
        var reconciler = new ManifestsFolderReconciler(store, Options.Create(new ManifestsOptions { Path = folder.Path }), NullLogger<ManifestsFolderReconciler>.Instance, clock);
        Assert.Equal(new ManifestScanResult(2, 0, 0, 0), await reconciler.ScanAsync(CancellationToken.None));

        // Caught half-written: the first document is there, the second not yet.
        Write(folder, "gs.yaml", Doc("first", "settle"));
        File.SetLastWriteTimeUtc(file, clock.GetUtcNow().UtcDateTime - TimeSpan.FromMilliseconds(100));
        var halfWritten = await reconciler.ScanAsync(CancellationToken.None);

        Assert.Equal(new ManifestScanResult(0, 0, 0, 0, Settling: 1), halfWritten);
        Assert.Equal(2, (await store.ListAsync("settle")).Count);

        // Still for the debounce: read, and what it no longer declares is deleted.
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new ManifestScanResult(0, 1, 0, 0), await reconciler.ScanAsync(CancellationToken.None));
        Assert.Null(await store.GetAsync("settle", "second"));
    }

    [Fact]
    public async Task Start_MissingFolder_RefusedNamingTheSetting()
    {
        var missing = Path.Combine(Path.GetTempPath(), "stoker-tests", "no-such-folder-" + Guid.NewGuid().ToString("N"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ApplyApiHost.StartAsync(fixture.ControlPlane.Client,
            new Dictionary<string, string?> { ["Stoker:Manifests:Path"] = missing }));

        Assert.Contains($"Stoker:Manifests:Path: \"{missing}\": must be an existing folder", error.Message, StringComparison.Ordinal);
    }

    private string Doc(string name, string ns, string destination = "projects") => Manifests.GatewaySync(name, ns, fixture.Repo.Path, destination: destination);

    private static void Write(TempDirectory folder, string relative, string text)
    {
        var path = folder.Combine(relative.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static GatewaySyncStore Store(ApplyApiHost api) => api.Services.GetRequiredService<GatewaySyncStore>();

    private Task<ApplyApiHost> StartAsync(TempDirectory folder) => ApplyApiHost.StartAsync(fixture.ControlPlane.Client, new Dictionary<string, string?>
    {
        ["Stoker:Manifests:Path"] = folder.Path,
        ["Stoker:Manifests:Debounce"] = "00:00:00.050",
        ["Stoker:Manifests:RescanInterval"] = "00:01:00",
    });
}
