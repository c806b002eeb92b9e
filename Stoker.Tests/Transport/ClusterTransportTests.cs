using Npgsql;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Transport;

/// <summary>
/// Issue 14, point 1: silo-to-silo connections are mutual TLS against the cluster's CA. Real <c>stoker-silo</c>
/// processes clustered on PostgreSQL: a silo sharing the first one's state folder (its CA) joins; a silo with a CA of
/// its own cannot, and the refusal is logged naming both certificates' issuers.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterTransportTests(PostgresServer postgres)
{
    /// <summary>Orleans' <c>SiloStatus.Active</c> in the membership table.</summary>
    private const int Active = 3;

    [Fact]
    public async Task SiloOfTheSameCa_Joins_SiloOfAnotherCa_CannotJoin()
    {
        var connectionString = await postgres.CreateDatabaseAsync("tls_cluster_" + Guid.NewGuid().ToString("N")[..8]);
        var clusterId = "tls-" + Guid.NewGuid().ToString("N")[..8];
        var storage = new Dictionary<string, string> { ["Stoker__Storage__ConnectionString"] = connectionString };
        await using var first = await SiloProcess.StartAsync(new SiloProcessSettings { Name = "first", ClusterId = clusterId, Environment = storage });
        await using var sameCa = await SiloProcess.StartAsync(new SiloProcessSettings
        {
            Name = "same-ca",
            ClusterId = clusterId,
            Environment = new Dictionary<string, string>(storage) { ["Stoker__Silo__StatePath"] = first.StatePath },
        });
        await Eventually.Until(() => ActivePortsAsync(connectionString, clusterId), ports => ports.Count == 2, TimeSpan.FromSeconds(90),
            $"both silos of one CA active\n--- first ---\n{first.Output}\n--- same-ca ---\n{sameCa.Output}");

        await using var otherCa = SiloProcess.Start(new SiloProcessSettings { Name = "other-ca", ClusterId = clusterId, Environment = storage });

        await Eventually.Until(() => Task.FromResult(first.Output + sameCa.Output + otherCa.Output),
            o => o.Contains("Refused a silo-to-silo TLS connection", StringComparison.Ordinal), TimeSpan.FromSeconds(90),
            $"a silo to refuse the other CA's\n--- other-ca ---\n{otherCa.Output}");
        var refusals = string.Join('\n', (first.Output + sameCa.Output + otherCa.Output).Split('\n').Where(l => l.Contains("does not chain to the trusted CA", StringComparison.Ordinal)));
        Assert.Contains("Stoker local CA", refusals, StringComparison.Ordinal);
        var active = await ActivePortsAsync(connectionString, clusterId);
        Assert.Equal(new[] { first.SiloPort, sameCa.SiloPort }.Order(), active.Order());
    }

    private static async Task<List<int>> ActivePortsAsync(string connectionString, string clusterId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT Port FROM orleans_membership WHERE DeploymentId = @cluster AND Status = @active", connection);
        command.Parameters.AddWithValue("cluster", clusterId);
        command.Parameters.AddWithValue("active", Active);
        var ports = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ports.Add(reader.GetInt32(0));
        }

        return ports;
    }
}
