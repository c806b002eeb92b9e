using System.Text.Json.Nodes;
using Stoker.Demo.Plan;
using Stoker.Demo.Processes;

namespace Stoker.Demo.Tour;

/// <summary>
/// Reads the GatewaySync status into the gateways' rows: until every gateway is Synced at a commit (measuring how long
/// each took), or for as long as the demo stays up. A dead process or a timeout ends the wait with the reason.
/// </summary>
public sealed class GatewayWatcher(TourState state, SiloClient silo, ProcessSet processes, NativeLauncher launcher, DemoTopology topology, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>After the tour (interactive only): keep the gateway table current until Ctrl-C.</summary>
    public async Task WatchAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await RefreshRowsAsync(null, null, cancellationToken);
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    /// <summary>Polls the status, updating the rows, until every gateway is Synced at <paramref name="commit"/>.</summary>
    public async Task<IReadOnlyList<GatewayRow>> WatchUntilAsync(string commit, long since, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        while (true)
        {
            var rows = await RefreshRowsAsync(commit, since, cancellationToken);
            if (rows.All(r => r.Status == "Synced" && r.Commit == commit))
            {
                return rows;
            }

            if (time.GetElapsedTime(since) > timeout)
            {
                var states = string.Join("; ", rows.Select(r => $"{r.Name}: {r.Status}{(r.Commit is { } c ? " at " + TourState.Short(c) : "")}{(r.Message is { } m ? " (" + m + ")" : "")}"));
                throw new DemoException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}: {states}. See {launcher.LogsDirectory}/agent-*.log");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private async Task<IReadOnlyList<GatewayRow>> RefreshRowsAsync(string? commit, long? since, CancellationToken cancellationToken)
    {
        processes.EnsureRunning();
        JsonNode? resource;
        try
        {
            resource = await silo.GetGatewaySyncAsync(cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new DemoException($"reading the GatewaySync status from {silo.BaseUrl} failed: {e.Message}", e);
        }

        var problem = GatewayStatus.Problem(resource);
        var rows = new List<GatewayRow>();
        foreach (var current in state.Snapshot().Gateways)
        {
            var row = GatewayStatus.Find(resource, current) ?? current with { Message = problem };
            if (row.Status == "Error" && row.Message is not { Length: > 0 })
            {
                row = row with { Message = LastFailure(current.Name) };
            }

            if (commit is not null && since is { } start && row.Status == "Synced" && row.Commit == commit)
            {
                // Keep the first time it was seen: later polls must not stretch the measurement.
                row = row with { ReachedAfter = current.Commit == commit && current.ReachedAfter is { } seen ? seen : time.GetElapsedTime(start) };
            }
            else
            {
                // A commit the tour did not send (pushed by hand) has no start to measure from.
                row = row with { ReachedAfter = row.Commit == current.Commit ? current.ReachedAfter : null };
            }

            // The post-commission re-sync of a commit writes nothing new: keep showing what the commit's sync wrote.
            if (row.Commit == current.Commit && current.FilesChanged > row.FilesChanged)
            {
                row = row with { FilesChanged = current.FilesChanged };
            }

            state.UpdateGateway(row);
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The reason in the agent's last "failed" log line: the status has the state, the log has the why.</summary>
    private string? LastFailure(string gatewayName)
    {
        var gateway = topology.Gateways.First(g => g.Name == gatewayName);
        var log = launcher.LogPath(DemoPlan.AgentService(gateway));
        try
        {
            var line = File.ReadLines(log).LastOrDefault(l => l.Contains(" failed", StringComparison.Ordinal));
            return line is null ? null : line[(line.IndexOf(" failed", StringComparison.Ordinal) + 1)..];
        }
        catch (IOException)
        {
            return null;
        }
    }
}
