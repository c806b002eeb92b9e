using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Stoker.Silo.Persistence;

/// <summary>
/// Readiness of the PostgreSQL storage: one <c>SELECT 1</c> on a fresh connection, bounded by short timeouts. The
/// result is kept for <see cref="CacheFor"/> and concurrent probes share one query, so however often probes come, the
/// database sees at most one connection per interval.
/// </summary>
public sealed class PostgresStorageHealthCheck : IHealthCheck, IDisposable
{
    public const string Name = "storage";

    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);

    // A probe must answer well within a kubelet's default 1 s… 3 s probe timeouts would be ideal, but a connect on a
    // loaded node can take longer; 2 s per step and 3 s overall keeps a stuck database from stalling probes.
    private const int ConnectAndCommandTimeoutSeconds = 2;
    private static readonly TimeSpan OverallTimeout = TimeSpan.FromSeconds(3);

    private readonly string _connectionString;
    private readonly string _where;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private HealthCheckResult? _last;
    private long _lastAt;

    public PostgresStorageHealthCheck(string connectionString, TimeProvider time)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // A pooled connection left broken by an outage would fail one more probe after recovery; a fresh one does not.
            Pooling = false,
            Timeout = ConnectAndCommandTimeoutSeconds,
            CommandTimeout = ConnectAndCommandTimeoutSeconds,
        };
        _connectionString = builder.ConnectionString;
        _where = $"PostgreSQL at {builder.Host}:{builder.Port}, database {builder.Database}";
        _time = time;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (Fresh() is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } shared)
            {
                return shared;
            }

            var result = await ProbeAsync(cancellationToken);
            _last = result;
            _lastAt = _time.GetTimestamp();
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private HealthCheckResult? Fresh() => _last is { } last && _time.GetElapsedTime(_lastAt) < CacheFor ? last : null;

    private async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(OverallTimeout);
        try
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync(timeout.Token);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy($"{_where} answers");
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            var why = e is OperationCanceledException ? $"no answer within {OverallTimeout.TotalSeconds:0} s" : e.Message;
            return HealthCheckResult.Unhealthy($"{_where} unreachable: {why}");
        }
    }
}
