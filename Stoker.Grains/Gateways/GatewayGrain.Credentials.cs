using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stoker.Grains.Audit;
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
            AuditCredentials(AuditAnnotations.Refused, null, null);
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
            AuditCredentials(AuditAnnotations.Given, credentials, null);
            return credentials with { RepoUrl = release.RepoUrl };
        }
        catch (Exception e) when (e is GitCredentialsException or OperationCanceledException)
        {
            var message = e is OperationCanceledException ? "resolving git auth: timed out after 30 s" : e.Message;
            LogCredentialsFailed(_logger, this.GetPrimaryKeyString(), message);
            AuditCredentials(AuditAnnotations.Failed, null, message);
            return new GitFetchCredentials { RepoUrl = release.RepoUrl, Error = message };
        }
    }

    // Resolved here rather than injected so the grain's constructor stays as it is; hosts without an audit log get none.
    private void AuditCredentials(string outcome, GitFetchCredentials? given, string? error)
    {
        var key = this.GetPrimaryKeyString();
        var (ns, name, _) = GrainKeys.ParseGateway(key);
        var annotations = new Dictionary<string, string> { [AuditAnnotations.Gateway] = key, [AuditAnnotations.Outcome] = outcome };
        if (given is not null)
        {
            annotations[AuditAnnotations.AuthType] = given.AuthType;
            annotations[AuditAnnotations.Fingerprint] = given.Fingerprint;
        }

        if (error is not null)
        {
            annotations[AuditAnnotations.Error] = error;
        }

        var now = _time.GetUtcNow();
        (ServiceProvider.GetService<IAuditSink>() ?? NullAuditSink.Instance).Record(new AuditRecord
        {
            Received = now,
            Completed = now,
            Verb = "get",
            User = AuditAnnotations.AgentUser(key),
            Resource = AuditAnnotations.GitCredentialsResource,
            Namespace = ns,
            Name = name,
            Annotations = annotations,
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Key}: git credentials refused: the caller is not the registered agent session")]
    private static partial void LogCredentialsRefused(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Key}: git credentials given to the agent ({AuthType}, fingerprint {Fingerprint})")]
    private static partial void LogCredentialsGiven(ILogger logger, string key, string authType, string fingerprint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Key}: no git credentials for the agent: {Error}")]
    private static partial void LogCredentialsFailed(ILogger logger, string key, string error);
}
