using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Grains.Interfaces.Grains;

/// <summary>
/// The only calls an agent makes, on its own gateway's grain (key <c>{namespace}/{crName}/{gatewayName}</c>).
/// Kept apart from <see cref="IGatewayGrain"/> so the silo can restrict clients to this interface.
/// </summary>
/// <remarks>
/// A registration starts a session and returns its token; every later call presents it. While a session is live
/// (renewed within the session expiry), a registration without its token is refused, so another client cannot take
/// over the gateway; once it has expired, or its agent ended it with <see cref="Unregister"/>, a new agent gets in.
/// </remarks>
public interface IGatewayAgentGrain : IGrainWithStringKey
{
    /// <summary>
    /// Resumes the session <paramref name="sessionToken"/> names, or starts one and subscribes the observer. A new
    /// session takes <paramref name="sessionToken"/> as its token when it is 64 lower-case hex digits (an agent
    /// proposes a random one, so a retry after a lost answer resumes its own session), else a token the grain draws.
    /// Throws <see cref="CallRefusedException"/> while another agent's session is live.
    /// </summary>
    Task<AgentSession> Register(AgentRegistration registration, IGatewayObserver observer, string? sessionToken);

    /// <summary>
    /// Renews the session and its subscription (the heartbeat). Returns the current desired version so a missed
    /// push is noticed, or -1 when <paramref name="sessionToken"/> is not the gateway's session (register again).
    /// </summary>
    Task<long> Heartbeat(string sessionToken, IGatewayObserver observer);

    /// <summary>Records a sync report; throws <see cref="CallRefusedException"/> unless the token is the gateway's session.</summary>
    Task Report(string sessionToken, SyncReport report);

    /// <summary>
    /// What the agent needs to fetch its repository, derived from <c>spec.git.auth</c> now (so a rotated Secret or a
    /// refreshed GitHub App token is what the next fetch uses); <see cref="GitFetchCredentials.Error"/> says why none
    /// could be derived. Throws <see cref="CallRefusedException"/> unless the token is the gateway's session.
    /// </summary>
    Task<GitFetchCredentials> GetGitCredentials(string sessionToken);

    /// <summary>Ends the session at once (the agent is shutting down), so its successor need not wait for the expiry.</summary>
    Task Unregister(string sessionToken);
}
