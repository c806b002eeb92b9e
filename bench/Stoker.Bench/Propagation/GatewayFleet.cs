using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Stoker.AgentClient.Runtime;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Bench.Propagation;

/// <summary>
/// Many simulated agents in one process: one Orleans client (configured as <c>stoker-agent run</c> configures its
/// own), and per gateway an observer, a registration and a heartbeat made exactly as the agent makes them
/// (<see cref="IGatewayAgentGrain.Register"/> with an <see cref="AgentRegistration"/>, then
/// <see cref="IGatewayAgentGrain.Heartbeat"/> with the session token every 20 s, registering again when it answers -1
/// or another version).
/// Each gateway notes, with <see cref="Stopwatch.GetTimestamp"/>, when a desired state for the expected commit arrives.
/// </summary>
public sealed class GatewayFleet : IAsyncDisposable
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(20);

    /// <summary>How many parts of the fleet heartbeat in turn within one <see cref="HeartbeatInterval"/>.</summary>
    public const int HeartbeatSlices = 100;

    private readonly IHost _host;
    private readonly CancellationTokenSource _stop = new();
    private readonly long[] _arrivals;
    private string? _expected;
    private int _remaining;
    private TaskCompletionSource _allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _heartbeats;

    private GatewayFleet(IHost host, IReadOnlyList<string> keys)
    {
        _host = host;
        Client = host.Services.GetRequiredService<IClusterClient>();
        Serializer = host.Services.GetRequiredService<Orleans.Serialization.Serializer<DesiredState>>();
        Gateways = [.. keys.Select((k, i) => new FleetGateway(this, i, k))];
        _arrivals = new long[keys.Count];
    }

    public IClusterClient Client { get; }

    /// <summary>What opens sealed pushes, as in the real agent's inbox.</summary>
    public Orleans.Serialization.Serializer<DesiredState> Serializer { get; }

    public IReadOnlyList<FleetGateway> Gateways { get; }

    /// <summary>Failed calls (registrations, heartbeats) so far; each was retried.</summary>
    public int Failures => _failures;

    private int _failures;

    /// <param name="caFile">The silo's CA, as <c>SILO_CA_FILE</c>; <see langword="null"/> connects over plain TCP (a silo with <c>AllowInsecureAgents</c>).</param>
    /// <param name="agentTokenKeyFile">The silo's agent-token key: each simulated agent presents its own token, as real agents do.</param>
    public static async Task<GatewayFleet> ConnectAsync(int gatewayPort, string clusterId, string serviceId, IReadOnlyList<string> keys, string? caFile, string agentTokenKeyFile, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder([]);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);

        // stdout carries the fleet's line protocol with the coordinator; the client's warnings go to stderr.
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, gatewayPort));
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = serviceId;
            });
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
            if (caFile is not null)
            {
                client.UseSiloTls(Stoker.Grains.Interfaces.Security.SiloCertificateTrust.ReadPemFile(caFile, "SILO_CA_FILE"));
            }

            client.AddOutgoingGrainCallFilter(new FleetCredentials(agentTokenKeyFile, keys));
        });
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        var fleet = new GatewayFleet(host, keys);
        foreach (var gateway in fleet.Gateways)
        {
            // The client holds observers weakly: the gateway keeps its reference for the fleet's life.
            gateway.Reference = fleet.Client.CreateObjectReference<IGatewayObserver>(gateway);
        }

        return fleet;
    }

    /// <summary>Registers every gateway, at most <paramref name="concurrency"/> at a time, retrying failures.</summary>
    public async Task RegisterAllAsync(int concurrency, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(Gateways, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (g, ct) =>
        {
            while (!await g.TryRegisterAsync(ct))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
            }
        });
    }

    public void StartHeartbeats() => _heartbeats ??= Task.Run(() => HeartbeatLoopAsync(_stop.Token));

    /// <summary>Starts waiting for <paramref name="commit"/>: arrivals are noted from now on.</summary>
    public void Expect(string commit)
    {
        Array.Clear(_arrivals);
        _allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _remaining, _arrivals.Length);
        Volatile.Write(ref _expected, commit);
        foreach (var g in Gateways)
        {
            // A state for this commit that arrived before this call (a poll faster than the caller) counts when it arrived.
            if (g.Held is { } held && held.Commit == commit)
            {
                Arrived(g.Index, held.ArrivedAt);
            }
        }
    }

    /// <summary>Waits until every gateway holds the expected commit, or the timeout; returns the arrival timestamps (0: none).</summary>
    public async Task<long[]> WaitForArrivalsAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _allArrived.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
        }

        return [.. _arrivals];
    }

    internal void Received(FleetGateway gateway, DesiredState state, long timestamp)
    {
        if (Volatile.Read(ref _expected) is { } expected && state.Commit == expected)
        {
            Arrived(gateway.Index, timestamp);
        }
    }

    private void Arrived(int index, long timestamp)
    {
        if (Interlocked.CompareExchange(ref _arrivals[index], timestamp, 0) == 0 && Interlocked.Decrement(ref _remaining) == 0)
        {
            _allArrived.TrySetResult();
        }
    }

    internal void Failed() => Interlocked.Increment(ref _failures);

    /// <summary>
    /// Heartbeats every gateway once per <see cref="HeartbeatInterval"/>, spread evenly over it in
    /// <see cref="HeartbeatSlices"/> slices: real agents start at different moments, so their heartbeats do not
    /// arrive as one burst of the whole fleet (which at 100,000 gateways would occupy the silo for seconds and land
    /// on some fan-out rounds but not others).
    /// </summary>
    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(HeartbeatInterval / HeartbeatSlices);
        var per = (Gateways.Count + HeartbeatSlices - 1) / HeartbeatSlices;
        var slice = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var batch = Gateways.Skip(slice * per).Take(per);
                slice = (slice + 1) % HeartbeatSlices;
                await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken },
                    async (g, ct) => await g.HeartbeatAsync(ct));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_heartbeats is not null)
        {
            await _heartbeats;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _host.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }

        _host.Dispose();
        _stop.Dispose();
    }
}

/// <summary>One simulated agent: its observer (what the agent's inbox does: keep the newest version) and session calls.</summary>
public sealed class FleetGateway : IGatewayObserver
{
    private readonly GatewayFleet _fleet;
    private readonly Lock _gate = new();
    private long _version;
    private volatile byte[]? _pushKey;

    internal FleetGateway(GatewayFleet fleet, int index, string key)
    {
        _fleet = fleet;
        Index = index;
        Key = key;
        var (ns, _, name) = GrainKeys.ParseGateway(key);
        Registration = new AgentRegistration
        {
            AgentId = Guid.NewGuid().ToString("N"),
            AgentVersion = "bench",
            PodName = name + "-0",
            PodNamespace = ns,
            Hostname = Environment.MachineName,
        };
    }

    public int Index { get; }

    public string Key { get; }

    public AgentRegistration Registration { get; }

    public IGatewayObserver? Reference { get; internal set; }

    /// <summary>The token of this gateway's session, from its last registration.</summary>
    public string SessionToken { get; private set; } = "";

    public IGatewayAgentGrain Grain => _fleet.Client.GetGrain<IGatewayAgentGrain>(Key);

    /// <summary>The commit of the newest desired state held.</summary>
    public string? Commit => Held?.Commit;

    /// <summary>The newest desired state's commit and when it arrived.</summary>
    public HeldState? Held { get; private set; }

    public long Version => Volatile.Read(ref _version);

    public async Task<bool> TryRegisterAsync(CancellationToken cancellationToken)
    {
        try
        {
            var session = await Grain.Register(Registration, Reference!, SessionToken).WaitAsync(cancellationToken);
            SessionToken = session.Token;
            _pushKey = Stoker.Grains.Interfaces.Security.DesiredStateSeal.KeyFor(session.Token);
            if (session.Desired is { } desired)
            {
                Offer(desired, Stopwatch.GetTimestamp());
            }

            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _fleet.Failed();
            return false;
        }
    }

    public async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        if (SessionToken.Length == 0)
        {
            // Not registered yet.
            return;
        }

        try
        {
            var version = await Grain.Heartbeat(SessionToken, Reference!).WaitAsync(cancellationToken);
            if (version < 0 || (version > 0 && version != Version))
            {
                await TryRegisterAsync(cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _fleet.Failed();
        }
    }

    Task IGatewayObserver.DesiredStateChanged(DesiredStatePush push)
    {
        // Verified as the real agent verifies it, so the benchmark pays what agents pay.
        var arrived = Stopwatch.GetTimestamp();
        if (Stoker.Grains.Interfaces.Security.DesiredStateSeal.Open(_fleet.Serializer, push, _pushKey) is { } state)
        {
            Offer(state, arrived);
        }
        else
        {
            _fleet.Failed();
        }

        return Task.CompletedTask;
    }

    private void Offer(DesiredState state, long timestamp)
    {
        lock (_gate)
        {
            if (state.Version <= _version)
            {
                return;
            }

            _version = state.Version;
            Held = new HeldState(state.Commit, timestamp);
        }

        _fleet.Received(this, state, timestamp);
    }
}

/// <summary>A desired state's commit and when (<see cref="Stopwatch.GetTimestamp"/>) it arrived.</summary>
public sealed record HeldState(string Commit, long ArrivedAt);
