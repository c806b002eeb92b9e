using System.Diagnostics;
using System.Globalization;
using Stoker.Bench.Core;
using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Bench.Propagation;

/// <summary>
/// <c>stoker-bench child propagation-agents &lt;gatewayPort&gt; &lt;clusterId&gt; &lt;keysFile&gt;</c>: a process holding
/// many simulated agents (<see cref="GatewayFleet"/>), driven by line commands on stdin:
/// <list type="bullet">
/// <item>(at start) registers every gateway and prints <c>registered &lt;count&gt; &lt;ms&gt; &lt;failures&gt;</c>;</item>
/// <item><c>expect &lt;commit&gt; &lt;file&gt; &lt;timeoutMs&gt;</c>: prints <c>armed</c>, waits until every gateway holds
/// that commit, writes each gateway's arrival timestamp (one a line, 0 for none) to the file and prints
/// <c>arrived &lt;missing&gt;</c>;</item>
/// <item><c>report &lt;startTimestamp&gt; &lt;windowMs&gt; &lt;windows&gt; &lt;concurrency&gt;</c>: from the given
/// <see cref="Stopwatch.GetTimestamp"/> on, sends sync reports as agents do, closed loop, and prints
/// <c>window &lt;i&gt; &lt;completed&gt; &lt;failed&gt;</c> per window, then <c>reported</c>;</item>
/// <item><c>quit</c> or end of input: exits.</item>
/// </list>
/// </summary>
public sealed class AgentFleetRole : IChildRole
{
    public const string Name = "propagation-agents";

    /// <summary>The CA argument that means plain TCP to a silo with <c>AllowInsecureAgents</c>.</summary>
    public const string PlainTcp = "-";

    public string Role => Name;

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (args.Length != 5 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var port))
        {
            await Console.Error.WriteLineAsync($"usage: stoker-bench child {Name} <gatewayPort> <clusterId> <keysFile> <caFile|{PlainTcp}> <agentTokenKeyFile>");
            return 2;
        }

        var keys = await File.ReadAllLinesAsync(args[2], cancellationToken);
        var started = Stopwatch.GetTimestamp();
        await using var fleet = await GatewayFleet.ConnectAsync(port, args[1], args[1], keys, args[3] == PlainTcp ? null : args[3], args[4], cancellationToken);
        // Heartbeats start with the registrations: registering a large fleet takes longer than a session lives
        // (60 s), and a gateway heartbeats as soon as it has a session, as an agent does.
        fleet.StartHeartbeats();
        await fleet.RegisterAllAsync(concurrency: 200, cancellationToken);
        Say($"registered {keys.Length} {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} {fleet.Failures}");

        while (await Console.In.ReadLineAsync(cancellationToken) is { } line)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (words)
            {
                case ["expect", var commit, var file, var timeoutMs]:
                    fleet.Expect(commit);
                    Say("armed");
                    var arrivals = await fleet.WaitForArrivalsAsync(TimeSpan.FromMilliseconds(long.Parse(timeoutMs, CultureInfo.InvariantCulture)), cancellationToken);
                    await File.WriteAllLinesAsync(file, arrivals.Select(a => a.ToString(CultureInfo.InvariantCulture)), cancellationToken);
                    Say($"arrived {arrivals.Count(a => a == 0)}");
                    break;
                case ["report", var start, var windowMs, var windows, var concurrency]:
                    await ReportAsync(fleet, long.Parse(start, CultureInfo.InvariantCulture), TimeSpan.FromMilliseconds(int.Parse(windowMs, CultureInfo.InvariantCulture)),
                        int.Parse(windows, CultureInfo.InvariantCulture), int.Parse(concurrency, CultureInfo.InvariantCulture), cancellationToken);
                    Say("reported");
                    break;
                case ["quit"]:
                    return 0;
                default:
                    await Console.Error.WriteLineAsync($"{Name}: unknown command \"{line}\"");
                    return 2;
            }
        }

        return 0;
    }

    /// <summary>
    /// Closed loop: <paramref name="concurrency"/> senders, each sending the next gateway's report when its last call
    /// completed. Completed calls are counted in the window they completed in; windows start at <paramref name="start"/>.
    /// </summary>
    private static async Task ReportAsync(GatewayFleet fleet, long start, TimeSpan window, int windows, int concurrency, CancellationToken cancellationToken)
    {
        var completed = new long[windows];
        var failed = new long[windows];
        var end = start + (long)(window.TotalSeconds * windows * Stopwatch.Frequency);
        var next = -1;
        var delay = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), start);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, cancellationToken);
        }

        async Task SenderAsync()
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                var g = fleet.Gateways[(int)((uint)Interlocked.Increment(ref next) % (uint)fleet.Gateways.Count)];
                var ok = true;
                try
                {
                    await g.Grain.Report(g.SessionToken, Report(g));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    ok = false;
                }

                var now = Stopwatch.GetTimestamp();
                var index = (int)((now - start) / (long)(window.TotalSeconds * Stopwatch.Frequency));
                if (index >= 0 && index < windows)
                {
                    Interlocked.Increment(ref ok ? ref completed[index] : ref failed[index]);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(SenderAsync, cancellationToken)));
        for (var i = 0; i < windows; i++)
        {
            Say($"window {i} {completed[i]} {failed[i]}");
        }
    }

    /// <summary>What an agent reports after a successful sync of one changed file.</summary>
    private static SyncReport Report(FleetGateway g) => new()
    {
        DesiredVersion = g.Version,
        SyncStatus = SyncStatus.Synced,
        SyncedCommit = g.Commit ?? "",
        SyncedRef = "main",
        LastSyncTime = TimeProvider.System.GetUtcNow(),
        LastSyncDuration = TimeSpan.FromMilliseconds(180),
        AgentVersion = g.Registration.AgentVersion,
        LastScanResult = "projects: 200, config: 200",
        FilesChanged = 1,
        FilesModified = 1,
        ModifiedPaths = ["projects/site/change.txt"],
        ProjectsSynced = ["site"],
        ProfileName = "default",
    };

    private static void Say(string line)
    {
        Console.Out.WriteLine(line);
        Console.Out.Flush();
    }
}
