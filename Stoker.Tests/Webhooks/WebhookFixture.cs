using Microsoft.Extensions.Logging;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Secrets;
using Stoker.Silo.Api;
using Stoker.Tests.ControlPlane;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Webhooks;

/// <summary>
/// One real silo and client, one git repository (tags v1.0.0 … v5.0.0 on distinct commits, then one more commit on main; a branch <c>feature</c>) and a
/// local Secrets folder, shared by the webhook tests (each test uses its own resource names).
/// </summary>
public sealed class WebhookFixture : IAsyncLifetime
{
    public const string NoPolling = "  polling:\n    enabled: false";

    private ControlPlaneHost? _host;

    public ControlPlaneHost Host => _host ?? throw new InvalidOperationException("not started");

    public GitRepository Repo { get; } = GitRepository.Create();

    public TempDirectory SecretsRoot { get; } = new("stoker-webhook-secrets");

    public ISecretStore Secrets => new FileSecretStore(SecretsRoot.Path);

    public async Task InitializeAsync()
    {
        Repo.WriteFile("projects/A/p.json", "0");
        Repo.Commit("initial");
        for (var i = 1; i <= 5; i++)
        {
            Repo.WriteFile("projects/A/p.json", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Repo.Commit($"release {i}");
            Repo.Tag($"v{i}.0.0");
        }

        Repo.WriteFile("projects/A/p.json", "unreleased");
        Repo.Commit("unreleased work");
        Repo.Branch("feature");
        _host = await ControlPlaneHost.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        Repo.Dispose();
        SecretsRoot.Dispose();
    }

    /// <summary>Applies a GatewaySync following <paramref name="ref"/> of the fixture's repository, polling off.</summary>
    public async Task<IGatewaySyncGrain> ApplyAsync(string name, string @ref = "main", IReadOnlyDictionary<string, string>? annotations = null, string ns = "ns")
    {
        var resource = ResourceBuilder.Create(name, Repo.Path, @ref, NoPolling, ns: ns);
        if (annotations is not null)
        {
            resource = resource with { Metadata = resource.Metadata with { Annotations = annotations } };
        }

        // Through the apply API's store, so the resource is also in the registry the receiver consults.
        var stored = await new GatewaySyncStore(Host.Client).ApplyAsync(resource);
        var grain = Host.GatewaySync(ns, name);
        await grain.WaitReconciled(stored.Metadata.Generation);
        return grain;
    }

    /// <summary>Writes the local-mode Secret <c>{ns}/{name}</c> with the given keys.</summary>
    public void WriteSecret(string ns, string name, IReadOnlyDictionary<string, string> keys)
    {
        var folder = SecretsRoot.Combine(ns, name);
        Directory.CreateDirectory(folder);
        foreach (var (key, value) in keys)
        {
            File.WriteAllText(Path.Combine(folder, key), value);
        }
    }

    public Task<ReceiverHost> StartReceiverAsync(IReadOnlyDictionary<string, string?> settings, TimeProvider? time = null, ILoggerProvider? logs = null) =>
        ReceiverHost.StartAsync(Host.Client, Secrets, settings, time, logs);

    public static string? Annotation(GatewaySync? resource, string key) => resource?.Metadata.Annotations?.GetValueOrDefault(key);
}
