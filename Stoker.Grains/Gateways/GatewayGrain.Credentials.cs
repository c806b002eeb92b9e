using Microsoft.Extensions.Logging;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Secrets;

namespace Stoker.Grains.Gateways;

/// <summary>
/// Git credentials for the gateway's agent, derived from the resource's <c>spec.git.auth</c> when asked and never kept
/// (docs/private-repositories.md): only the session's agent gets them, only for its own resource's repository.
/// </summary>
public sealed partial class GatewayGrain
{
    public async Task<GitFetchCredentials> GetGitCredentials(string sessionToken)
    {
        if (!IsSession(sessionToken))
        {
            LogCredentialsRefused(_logger, this.GetPrimaryKeyString());
            throw new CallRefusedException($"git credentials for gateway {this.GetPrimaryKeyString()} refused: the caller is not its registered agent session");
        }

        if (_release is not { } release)
        {
            return new GitFetchCredentials { Error = $"gateway {this.GetPrimaryKeyString()} has no desired state yet: no repository to give credentials for" };
        }

        var (ns, _, _) = GrainKeys.ParseGateway(this.GetPrimaryKeyString());
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30), _time);
            var credentials = await _credentials.GetAsync(ns, release.GitAuth, timeout.Token);
            LogCredentialsGiven(_logger, this.GetPrimaryKeyString(), credentials.AuthType, credentials.Fingerprint);
            return credentials with { RepoUrl = release.RepoUrl };
        }
        catch (Exception e) when (e is GitCredentialsException or OperationCanceledException)
        {
            var message = e is OperationCanceledException ? "resolving git auth: timed out after 30 s" : e.Message;
            LogCredentialsFailed(_logger, this.GetPrimaryKeyString(), message);
            return new GitFetchCredentials { RepoUrl = release.RepoUrl, Error = message };
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Key}: git credentials refused: the caller is not the registered agent session")]
    private static partial void LogCredentialsRefused(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Key}: git credentials given to the agent ({AuthType}, fingerprint {Fingerprint})")]
    private static partial void LogCredentialsGiven(ILogger logger, string key, string authType, string fingerprint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Key}: no git credentials for the agent: {Error}")]
    private static partial void LogCredentialsFailed(ILogger logger, string key, string error);
}
