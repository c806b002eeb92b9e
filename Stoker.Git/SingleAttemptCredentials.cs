using LibGit2Sharp;
using LibGit2Sharp.Handlers;

namespace Stoker.Git;

/// <summary>
/// HTTP basic-auth credentials, offered once per libgit2 operation (<see cref="ForOperation"/>). libgit2 asks again
/// after every rejection (15 times, each a round trip); a second request within one operation means the first was
/// refused, so it ends there with a clear message. A new operation (the fetch after an ls-remote) opens a new
/// connection and asks afresh.
/// </summary>
public sealed class SingleAttemptCredentials
{
    public const string NoneConfiguredMessage = "authentication required: the remote asked for credentials and none are configured";

    public const string RejectedMessage = "authentication failed: the remote rejected the credentials";

    private readonly string _username;
    private readonly string? _password;

    /// <param name="username">The basic-auth user (for a token, the forge's token user, e.g. <c>x-access-token</c>).</param>
    /// <param name="password">The token or password; null when none is configured (a request for one then fails).</param>
    public SingleAttemptCredentials(string username, string? password)
    {
        ArgumentNullException.ThrowIfNull(username);
        _username = username;
        _password = password;
    }

    /// <summary>True once the remote asked for credentials and none were configured, or asked again after the first were sent.</summary>
    public bool Failed { get; private set; }

    /// <summary>Why authentication failed, without the credentials (meaningful when <see cref="Failed"/>).</summary>
    public string FailureReason => _password is null
        ? "the remote asked for credentials and none are configured"
        : "the remote rejected the credentials";

    /// <summary>The handler for one libgit2 operation (one ls-remote, one fetch).</summary>
    public CredentialsHandler ForOperation()
    {
        var attempts = 0;
        return (_, _, _) =>
        {
            if (_password is null)
            {
                Failed = true;
                throw new LibGit2SharpException(NoneConfiguredMessage);
            }

            if (Interlocked.Increment(ref attempts) > 1)
            {
                Failed = true;
                throw new LibGit2SharpException(RejectedMessage);
            }

            return new UsernamePasswordCredentials { Username = _username, Password = _password };
        };
    }
}
