using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Hosting;

/// <summary>
/// Issue 11 defect 10: <c>/readyz</c> of the real silo program follows its storage — 200 with PostgreSQL up, 503
/// naming the storage check while it is down, 200 again once it is back — while <c>/healthz</c> (liveness) stays 200.
/// The test stops its own PostgreSQL server, so it does not share the collection's.
/// </summary>
public sealed class ReadinessTests : IAsyncLifetime
{
    private PostgresServer? _postgres;

    public async Task InitializeAsync() => _postgres = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    [Fact]
    public async Task Readyz_PostgresStoppedAndStarted_503NamingStorageThen200_HealthzStays200()
    {
        var postgres = _postgres!;
        var connectionString = await postgres.CreateDatabaseAsync("ready_" + Guid.NewGuid().ToString("N")[..8]);
        await using var silo = await SiloProcess.StartAsync(new SiloProcessSettings { Name = "prog", Environment = new Dictionary<string, string> { ["Stoker__Storage__ConnectionString"] = connectionString } });

        var ready = await Eventually.Until(() => silo.GetAsync("/readyz"), r => r.Status == 200, TimeSpan.FromSeconds(60), "/readyz 200 with PostgreSQL up\n" + silo.Output);
        Assert.Equal(200, ready.Status);

        await postgres.StopAsync();
        var down = await Eventually.Until(() => silo.GetAsync("/readyz"), r => r.Status == 503, TimeSpan.FromSeconds(30), "/readyz 503 with PostgreSQL stopped");
        Assert.Contains("storage", down.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(200, await silo.StatusAsync("/healthz"));

        await postgres.StartAgainAsync();
        await Eventually.Until(() => silo.GetAsync("/readyz"), r => r.Status == 200, TimeSpan.FromSeconds(60), "/readyz 200 again with PostgreSQL back\n" + silo.Output);
        Assert.Equal(200, await silo.StatusAsync("/healthz"));
    }
}
