using Stoker.Grains.Interfaces.Serialization;
using Stoker.Silo.Api;
using Stoker.Tests.ControlPlane;

namespace Stoker.Tests.Admission;

/// <summary>A silo holding the fixtures' GatewaySyncs (Fixtures/Admission/gatewaysyncs.yaml) and the webhooks over HTTPS.</summary>
public sealed class AdmissionFixture : IAsyncLifetime
{
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Admission");

    private ControlPlaneHost? _controlPlane;
    private AdmissionHost? _admission;

    public ControlPlaneHost ControlPlane => _controlPlane ?? throw new InvalidOperationException("not started");

    public AdmissionHost Admission => _admission ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _controlPlane = await ControlPlaneHost.StartAsync();
        var store = new GatewaySyncStore(_controlPlane.Client);
        foreach (var parsed in GatewaySyncSerializer.ParseAll(await File.ReadAllTextAsync(Path.Combine(Folder, "gatewaysyncs.yaml"))))
        {
            Assert.True(parsed.IsValid, parsed.Describe());
            await store.ApplyAsync(parsed.Resource!);
        }

        _admission = await AdmissionHost.StartAsync(_controlPlane.Client);
    }

    public async Task DisposeAsync()
    {
        if (_admission is not null)
        {
            await _admission.DisposeAsync();
        }

        if (_controlPlane is not null)
        {
            await _controlPlane.DisposeAsync();
        }
    }
}
