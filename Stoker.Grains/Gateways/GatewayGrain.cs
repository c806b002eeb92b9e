using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Utilities;
using Stoker.Grains.Gateways.Identity;
using Stoker.Grains.Interfaces;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Security;

namespace Stoker.Grains.Gateways;

/// <summary>
/// One gateway: builds its desired state from its GatewaySync's release and its own inputs, holds its agent's
/// session (observer and heartbeat) and its reports, and tells the GatewaySync what the status needs in a summary.
/// Everything it sends is one-way: a dead client or a GatewaySync busy with git never blocks this grain
/// (docs/architecture.md, "Releases").
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
    private readonly Secrets.IGitCredentialSource _credentials;
    private readonly Serializer<DesiredState> _serializer;
    private AgentRegistration? _agent;

    /// <summary>The live session's secret (in memory only: a new activation starts without a session).</summary>
    private string? _sessionToken;

    /// <summary>The key pushes to the live session are sealed with (<see cref="DesiredStateSeal"/>).</summary>
    private byte[]? _pushKey;
    private DateTimeOffset? _lastHeartbeat;
    private bool _connected;
    private IGrainTimer? _expiryTimer;

    /// <summary>The newest release received; not stored here (the GatewaySync stores it), so null after activation.</summary>
    private Release? _release;
    private DesiredState? _desired;
    private string? _contentKey;
    private string? _overrideError;

    /// <summary>The desired state not yet reported Synced and when this grain took it (<see cref="Metrics.ControllerMetrics.PropagationDuration"/>).</summary>
    private (long Version, long Since)? _propagating;

    /// <summary>Numbers this grain's summaries; seeded from the clock so a new activation's come after the old one's.</summary>
    private long _summarySequence;

    public GatewayGrain(
        [PersistentState("gateway", StokerStorage.Name)] IPersistentState<GatewayState> state,
        TimeProvider time,
        IOptions<GatewaySessionOptions> options,
        IAgentRegistrationVerifier verifier,
        Secrets.IGitCredentialSource credentials,
        Serializer<DesiredState> serializer,
        ILogger<GatewayGrain> logger)
    {
        _credentials = credentials;
        _serializer = serializer;
        _state = state;
        _verifier = verifier;
        _time = time;
        _logger = logger;
        _options = options.Value;
        _observers = new ObserverManager<IGatewayObserver>(_options.Expiry, logger) { GetDateTime = () => time.GetUtcNow().UtcDateTime };
    }

    private string GatewayName => GrainKeys.ParseGateway(this.GetPrimaryKeyString()).GatewayName;

    private GatewayInputs Inputs => _state.State.Inputs;

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
            _pushKey = DesiredStateSeal.KeyFor(_sessionToken);
        }

        _agent = registration;
        Renew(observer);
        LogRegistered(_logger, this.GetPrimaryKeyString(), registration.AgentId, registration.AgentVersion);
        await SetInputsAsync(Inputs with
        {
            RegisteredProfile = registration.Profile,
            RegisteredPodName = registration.PodName,
            RegisteredNamespace = registration.PodNamespace,
            RegisteredLabels = registration.Labels,
        });

        // A fresh activation has no release yet: read the GatewaySync's (an interleaved read, answered even while
        // it waits on git), so that the agent is answered with its desired state at once when there is one.
        if (_release is null && await Owner.GetRelease() is { } release)
        {
            Take(release);
        }

        // The answer carries the state: no push to the observer just subscribed.
        Rebuild(push: false);
        SendSummary(joining: true);
        return new AgentSession { Token = _sessionToken!, Desired = _desired };
    }

    public Task<long> Heartbeat(string sessionToken, IGatewayObserver observer)
    {
        if (!IsSession(sessionToken))
        {
            // Not this gateway's session (a new activation after a silo restart, or taken over after expiring): the
            // agent must register again.
            return Task.FromResult(-1L);
        }

        var wasConnected = _connected;
        Renew(observer);
        if (!wasConnected)
        {
            SendSummary();
        }

        return Task.FromResult(_desired?.Version ?? 0);
    }

    public async Task Report(string sessionToken, SyncReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!IsSession(sessionToken))
        {
            LogReportRefused(_logger, this.GetPrimaryKeyString());
            throw new CallRefusedException($"report for gateway {this.GetPrimaryKeyString()} refused: the caller is not its registered agent session");
        }

        ObservePropagation(report);
        _state.State.LastReport = report;
        _state.State.History.Insert(0, report);
        if (_state.State.History.Count > HistoryLength)
        {
            _state.State.History.RemoveRange(HistoryLength, _state.State.History.Count - HistoryLength);
        }

        await _state.WriteStateAsync();
        SendSummary();
    }

    public Task Unregister(string sessionToken)
    {
        if (IsSession(sessionToken))
        {
            LogUnregistered(_logger, this.GetPrimaryKeyString(), _agent?.AgentId ?? "");
            EndSession();
            SendSummary();
        }

        return Task.CompletedTask;
    }

    public Task Publish(Release release)
    {
        ArgumentNullException.ThrowIfNull(release);
        if (Take(release))
        {
            var overrideError = _overrideError;
            Rebuild();
            if (overrideError != _overrideError)
            {
                SendSummary();
            }
        }

        return Task.CompletedTask;
    }

    public async Task SetPod(ExpectedGateway? pod, Release? release)
    {
        if (release is not null)
        {
            Take(release);
        }

        var overrideError = _overrideError;
        await SetInputsAsync(Inputs with { Pod = pod });
        Rebuild();
        if (overrideError != _overrideError)
        {
            SendSummary();
        }
    }

    public Task<GatewaySnapshot> GetSnapshot() => Task.FromResult(new GatewaySnapshot
    {
        Key = this.GetPrimaryKeyString(),
        Desired = _desired,
        Agent = _agent,
        LastHeartbeat = _lastHeartbeat,
        AgentConnected = _connected && !Expired(),
        LastReport = _state.State.LastReport,
        History = _state.State.History.ToList(),
    });

    public async Task Clear()
    {
        var stop = (_desired ?? new DesiredState { GatewayName = GatewayName }) with
        {
            Version = (_desired?.Version ?? 0) + 1,
            Stopped = true,
        };
        Push(stop);
        EndSession();
        (_release, _desired, _contentKey, _overrideError, _propagating) = (null, null, null, null, null);

        // The pod still stands (its GatewaySync keeps it too): a resource created again under the name starts with it.
        var pod = Inputs.Pod;
        await _state.ClearStateAsync();
        _state.State = new GatewayState { Inputs = new GatewayInputs { Pod = pod } };
        if (pod is not null)
        {
            await _state.WriteStateAsync();
        }

        DeactivateOnIdle();
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _summarySequence = _time.GetUtcNow().UtcTicks;
        return Task.CompletedTask;
    }

    /// <summary>Keeps <paramref name="release"/> if it is newer than the one held (or of another epoch); false when ignored.</summary>
    private bool Take(Release release)
    {
        if (_release is { } held && held.Epoch == release.Epoch && release.Version <= held.Version)
        {
            return false;
        }

        _release = release;
        return true;
    }

    /// <summary>Stores changed inputs (rare: a pod's annotations edited, an agent injected differently), counting the revision.</summary>
    private async Task SetInputsAsync(GatewayInputs inputs)
    {
        if (!inputs.SameAs(Inputs))
        {
            _state.State.Inputs = inputs with { Revision = Inputs.Revision + 1 };
            await _state.WriteStateAsync();
        }
    }

    /// <summary>
    /// Builds the desired state from the release and the inputs, and pushes it when its content changed: a release
    /// that changes nothing for this gateway (another profile edited) reaches its agent as nothing. While the release
    /// is paused the held state stays, as the agent holds it.
    /// </summary>
    private void Rebuild(bool push = true)
    {
        if (_release is not { Paused: false } release || DesiredStateBuilder.Build(release, Inputs, GatewayName) is not var (built, key, overrideError))
        {
            return;
        }

        if (overrideError is not null && overrideError != _overrideError)
        {
            LogRefOverrideFailed(_logger, this.GetPrimaryKeyString(), overrideError);
        }

        _overrideError = overrideError;
        if (key == _contentKey)
        {
            return;
        }

        var floor = _desired is { } held && held.Epoch == release.Epoch ? held.Version + 1 : 0;
        var desired = built with { Version = DesiredVersions.Next(release.Version, Inputs.Revision, floor) };
        (_desired, _contentKey) = (desired, key);
        _propagating = (desired.Version, _time.GetTimestamp());
        if (push)
        {
            Push(desired);
        }
    }

    /// <summary>Sends <paramref name="state"/> to the session's observer, sealed with the session's key (nothing without a session).</summary>
    private void Push(DesiredState state)
    {
        if (_pushKey is { } key && _observers.Count > 0)
        {
            var push = DesiredStateSeal.Seal(_serializer, state, key);
            _observers.Notify(o => { _ = o.DesiredStateChanged(push); });
        }
    }

    /// <summary>A Synced report of the newest desired state (or a later one) ends the propagation being timed.</summary>
    private void ObservePropagation(SyncReport report)
    {
        if (_propagating is { } pending && report.SyncStatus == SyncStatus.Synced && report.DesiredVersion >= pending.Version)
        {
            var (ns, crName, _) = GrainKeys.ParseGateway(this.GetPrimaryKeyString());
            Metrics.ControllerMetrics.PropagationDuration.WithLabels(crName, ns).Observe(_time.GetElapsedTime(pending.Since).TotalSeconds);
            _propagating = null;
        }
    }

    /// <summary>Tells the GatewaySync what its status shows of this gateway, one-way.</summary>
    private void SendSummary(bool joining = false)
    {
        var report = _state.State.LastReport;
        _ = Owner.GatewayChanged(new GatewaySummary
        {
            Name = GatewayName,
            Sequence = ++_summarySequence,
            Joining = joining,
            ReleaseVersion = _release?.Version ?? 0,
            Namespace = Inputs.RegisteredNamespace ?? "",
            PodName = Inputs.RegisteredPodName,
            Profile = Inputs.RegisteredProfile,
            AgentConnected = _connected && !Expired(),
            AgentVersion = _agent?.AgentVersion,
            RefOverrideError = _overrideError,
            Reported = report is not null,
            SyncStatus = report?.SyncStatus ?? SyncStatus.Pending,
            LastSyncTime = report?.LastSyncTime ?? default,
            LastSyncDuration = report?.LastSyncDuration ?? default,
            SyncedCommit = report?.SyncedCommit ?? "",
            SyncedRef = report?.SyncedRef ?? "",
            ReportedAgentVersion = report?.AgentVersion ?? "",
            LastScanResult = report?.LastScanResult ?? "",
            FilesChanged = report?.FilesChanged ?? 0,
            ProjectsSynced = report?.ProjectsSynced ?? [],
        });
    }

    private void Renew(IGatewayObserver observer)
    {
        _observers.Subscribe(observer, observer);
        _lastHeartbeat = _time.GetUtcNow();
        _connected = true;

        // One tick when the session would expire, not one every renewal period: heartbeats do not touch the timer, and a
        // tick that finds the session renewed waits again for its new expiry. Thousands of idle gateways then cost the
        // silo a timer turn a minute each instead of three.
        _expiryTimer ??= this.RegisterGrainTimer(CheckExpiryAsync, new GrainTimerCreationOptions
        {
            DueTime = ExpiryMargin(_options.Expiry),
            Period = Timeout.InfiniteTimeSpan,
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
        _pushKey = null;
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

    /// <summary>Just past <paramref name="remaining"/>: a session expires once it has gone unrenewed for longer than the expiry.</summary>
    private static TimeSpan ExpiryMargin(TimeSpan remaining) => (remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining) + TimeSpan.FromMilliseconds(10);

    private Task CheckExpiryAsync(CancellationToken cancellationToken)
    {
        if (_connected && !Expired() && _lastHeartbeat is { } renewed)
        {
            _expiryTimer?.Change(ExpiryMargin(renewed + _options.Expiry - _time.GetUtcNow()), Timeout.InfiniteTimeSpan);
        }
        else if (_connected && Expired())
        {
            _connected = false;
            _observers.ClearExpired();
            _expiryTimer?.Dispose();
            _expiryTimer = null;
            LogExpired(_logger, this.GetPrimaryKeyString(), _agent?.AgentId ?? "");
            SendSummary();
        }

        return Task.CompletedTask;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Key}: the gateway cannot follow its ref override: {Error}")]
    private static partial void LogRefOverrideFailed(ILogger logger, string key, string error);
}
