using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;
using Stoker.Grains.Gateways.Identity;
using Stoker.Grains.Interfaces;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Grains.Gateways;

/// <summary>
/// One gateway: its desired state, its agent's session (observer and heartbeat) and its reports. Pushes to the
/// agent are one-way notifications: a dead client never blocks this grain.
/// </summary>
public sealed partial class GatewayGrain : Grain, IGatewayGrain
{
    public const int HistoryLength = 50;

    private readonly IPersistentState<GatewayState> _state;
    private readonly TimeProvider _time;
    private readonly ILogger<GatewayGrain> _logger;
    private readonly GatewaySessionOptions _options;
    private readonly ObserverManager<IGatewayObserver> _observers;
    private readonly IAgentRegistrationVerifier _verifier;
    private AgentRegistration? _agent;

    /// <summary>The live session's secret (in memory only: a new activation starts without a session).</summary>
    private string? _sessionToken;
    private DateTimeOffset? _lastHeartbeat;
    private bool _connected;
    private IGrainTimer? _expiryTimer;

    public GatewayGrain(
        [PersistentState("gateway", StokerStorage.Name)] IPersistentState<GatewayState> state,
        TimeProvider time,
        IOptions<GatewaySessionOptions> options,
        IAgentRegistrationVerifier verifier,
        ILogger<GatewayGrain> logger)
    {
        _state = state;
        _verifier = verifier;
        _time = time;
        _logger = logger;
        _options = options.Value;
        _observers = new ObserverManager<IGatewayObserver>(_options.Expiry, logger) { GetDateTime = () => time.GetUtcNow().UtcDateTime };
    }

    private string GatewayName => GrainKeys.ParseGateway(this.GetPrimaryKeyString()).GatewayName;

    private IGatewaySyncGrain Owner
    {
        get
        {
            var (ns, crName, _) = GrainKeys.ParseGateway(this.GetPrimaryKeyString());
            return GrainFactory.GetGrain<IGatewaySyncGrain>(GrainKeys.GatewaySync(ns, crName));
        }
    }

    public async Task<AgentSession> Register(AgentRegistration registration, IGatewayObserver observer, string? sessionToken)
    {
        ArgumentNullException.ThrowIfNull(registration);

        // The identity token is checked and dropped here: nothing below (state, snapshot, the GatewaySync) sees it.
        var identity = registration.Identity;
        registration = registration with { Identity = null };
        var verdict = await _verifier.VerifyAsync(this.GetPrimaryKeyString(), registration, identity, CancellationToken.None);
        if (!verdict.IsAccepted)
        {
            // Checked before the session, so that an unverified caller learns nothing about who holds it. The verifier
            // has logged and counted the refusal.
            throw new CallRefusedException(verdict.Message);
        }

        var resumed = IsSession(sessionToken);
        if (!resumed && _agent is { } live && !Expired())
        {
            // Another agent's session is live: taking it over would hand the gateway to whoever asked last.
            LogTakeoverRefused(_logger, this.GetPrimaryKeyString(), registration.AgentId, live.AgentId);
            throw new CallRefusedException(
                $"registration for gateway {this.GetPrimaryKeyString()} refused: another agent's session is live (last renewed "
                + $"{(_time.GetUtcNow() - _lastHeartbeat!.Value).TotalSeconds:0} s ago); a new session is accepted once it ends or has "
                + $"not been renewed for {_options.Expiry.TotalSeconds:0} s");
        }

        if (!resumed)
        {
            // A new session: the previous one's observer gets nothing more and its token is no longer accepted. The
            // agent proposes its own token, so that retrying a registration whose answer was lost resumes the session
            // it started instead of being refused as "another agent" until that session expires.
            _observers.Clear();
            _sessionToken = IsWellFormedToken(sessionToken) ? sessionToken : NewToken();
        }

        _agent = registration;
        Renew(observer);
        LogRegistered(_logger, this.GetPrimaryKeyString(), registration.AgentId, registration.AgentVersion);
        var desired = await Owner.GatewayRegistered(GatewayName, registration);
        if (desired is not null && desired.Supersedes(_state.State.Desired))
        {
            _state.State.Desired = desired;
            await _state.WriteStateAsync();
        }

        return new AgentSession { Token = _sessionToken!, Desired = _state.State.Desired };
    }

    public async Task<long> Heartbeat(string sessionToken, IGatewayObserver observer)
    {
        if (!IsSession(sessionToken))
        {
            // Not this gateway's session (a new activation after a silo restart, or taken over after expiring): the
            // agent must register again.
            return -1;
        }

        var wasConnected = _connected;
        Renew(observer);
        if (!wasConnected)
        {
            await Owner.GatewaySessionChanged(GatewayName, connected: true);
        }

        return _state.State.Desired?.Version ?? 0;
    }

    public async Task Report(string sessionToken, SyncReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!IsSession(sessionToken))
        {
            LogReportRefused(_logger, this.GetPrimaryKeyString());
            throw new CallRefusedException($"report for gateway {this.GetPrimaryKeyString()} refused: the caller is not its registered agent session");
        }

        _state.State.LastReport = report;
        _state.State.History.Insert(0, report);
        if (_state.State.History.Count > HistoryLength)
        {
            _state.State.History.RemoveRange(HistoryLength, _state.State.History.Count - HistoryLength);
        }

        await _state.WriteStateAsync();
        await Owner.GatewayReported(GatewayName, report);
    }

    public async Task Unregister(string sessionToken)
    {
        if (!IsSession(sessionToken))
        {
            return;
        }

        LogUnregistered(_logger, this.GetPrimaryKeyString(), _agent?.AgentId ?? "");
        EndSession();
        await Owner.GatewaySessionChanged(GatewayName, connected: false);
    }

    public async Task SetDesired(DesiredState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.Supersedes(_state.State.Desired))
        {
            return;
        }

        // Push first, then persist: the agent need not wait for the storage write. Should the write be lost, the
        // GatewaySync still holds this version and hands it out again when the agent re-registers with a new activation.
        _state.State.Desired = state;
        _observers.Notify(o => { _ = o.DesiredStateChanged(state); });
        await _state.WriteStateAsync();
    }

    public Task<GatewaySnapshot> GetSnapshot() => Task.FromResult(new GatewaySnapshot
    {
        Key = this.GetPrimaryKeyString(),
        Desired = _state.State.Desired,
        Agent = _agent,
        LastHeartbeat = _lastHeartbeat,
        AgentConnected = _connected && !Expired(),
        LastReport = _state.State.LastReport,
        History = _state.State.History.ToList(),
    });

    public async Task Clear()
    {
        var stop = (_state.State.Desired ?? new DesiredState { GatewayName = GatewayName }) with
        {
            Version = (_state.State.Desired?.Version ?? 0) + 1,
            Stopped = true,
        };
        _observers.Notify(o => { _ = o.DesiredStateChanged(stop); });
        EndSession();
        await _state.ClearStateAsync();
        _state.State = new GatewayState();
        DeactivateOnIdle();
    }

    private void Renew(IGatewayObserver observer)
    {
        _observers.Subscribe(observer, observer);
        _lastHeartbeat = _time.GetUtcNow();
        _connected = true;

        _expiryTimer ??= this.RegisterGrainTimer(CheckExpiryAsync, new GrainTimerCreationOptions
        {
            DueTime = _options.RenewEvery,
            Period = _options.RenewEvery,
            KeepAlive = true,
        });
    }

    private void EndSession()
    {
        _observers.Clear();
        _expiryTimer?.Dispose();
        _expiryTimer = null;
        _agent = null;
        _sessionToken = null;
        _connected = false;
    }

    /// <summary>Whether <paramref name="token"/> is the current session's, compared in constant time.</summary>
    private bool IsSession(string? token) =>
        _sessionToken is not null && token is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(_sessionToken), Encoding.UTF8.GetBytes(token));

    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>A token the shape <see cref="NewToken"/> makes: 64 lower-case hex digits (256 bits).</summary>
    private static bool IsWellFormedToken([NotNullWhen(true)] string? token) =>
        token is { Length: 64 } && token.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    private bool Expired() => _lastHeartbeat is null || _time.GetUtcNow() - _lastHeartbeat > _options.Expiry;

    private async Task CheckExpiryAsync(CancellationToken cancellationToken)
    {
        if (_connected && Expired())
        {
            _connected = false;
            _observers.ClearExpired();
            _expiryTimer?.Dispose();
            _expiryTimer = null;
            LogExpired(_logger, this.GetPrimaryKeyString(), _agent?.AgentId ?? "");
            await Owner.GatewaySessionChanged(GatewayName, connected: false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Key}: agent {AgentId} registered (version {Version})")]
    private static partial void LogRegistered(ILogger logger, string key, string agentId, string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Key}: registration of agent {AgentId} refused: agent {LiveAgentId}'s session is live")]
    private static partial void LogTakeoverRefused(ILogger logger, string key, string agentId, string liveAgentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Key}: report refused: the caller is not the registered agent session")]
    private static partial void LogReportRefused(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Key}: agent {AgentId} ended its session")]
    private static partial void LogUnregistered(ILogger logger, string key, string agentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Key}: agent {AgentId} stopped renewing its subscription; session expired")]
    private static partial void LogExpired(ILogger logger, string key, string agentId);
}
