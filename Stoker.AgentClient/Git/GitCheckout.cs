using System.Text.RegularExpressions;
using LibGit2Sharp;
using LibGit2Sharp.Handlers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Stoker.AgentClient.Git;

/// <summary>
/// The agent's copy of the repository: a bare repository in the work directory (the engine reads commits
/// from the object database, so no working tree is needed), created on first use and fetched into afterwards.
/// Resolves a ref (branch, tag — annotated ones peeled — or full commit id) to a commit.
/// <para>
/// Fetches are full (not shallow): libgit2 takes a depth only over smart HTTP, a shallow repository cannot be
/// deepened later (a commit id that is not a tip would then be unreachable), and with LibGit2Sharp 0.32
/// <c>Commands.Fetch</c> into an existing repository was measured not to apply the depth anyway. Reusing the
/// work directory makes every fetch after the first transfer only new objects. Only the requested ref is
/// fetched (all branches and tags for a commit id that is not present yet).
/// </para>
/// </summary>
public sealed partial class GitCheckout(string workDirectory, string remote, GitCredentials? credentials = null, ILogger<GitCheckout>? logger = null)
{
    private const string RemoteName = "origin";
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    public string RepositoryPath { get; } = Path.Join(Path.GetFullPath(workDirectory), "repo.git");

    /// <summary>The remote as libgit2 gets it: local paths made absolute.</summary>
    public string RemoteUrl { get; } = NormaliseRemote(remote);

    /// <summary>The remote for messages and reports: credentials in the URL replaced.</summary>
    public string RedactedRemote => Redact(RemoteUrl);

    /// <summary>Fetches what <paramref name="gitRef"/> needs and returns the full commit id it resolves to.</summary>
    /// <exception cref="GitCheckoutException">The ref does not exist, the remote is unreachable, or authentication failed.</exception>
    public string Fetch(string gitRef, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(gitRef))
        {
            throw new GitCheckoutException("ref: a branch, tag or commit id is required");
        }

        gitRef = gitRef.Trim();
        try
        {
            using var repository = OpenOrCreate();
            if (IsFullCommitId(gitRef))
            {
                return FetchCommit(repository, gitRef, cancellationToken);
            }

            var (name, target) = ResolveRemoteRef(repository, gitRef);
            var destination = name.StartsWith("refs/tags/", StringComparison.Ordinal) ? name : "refs/stoker/" + name["refs/".Length..];
            FetchRefspecs(repository, [$"+{name}:{destination}"], cancellationToken);
            var commit = repository.Lookup(target)?.Peel<Commit>()
                ?? repository.Refs[destination]?.ResolveToDirectReference()?.Target?.Peel<Commit>()
                ?? throw new GitCheckoutException($"ref {gitRef} ({name}) does not point to a commit");
            LogResolved(_logger, Redact(RemoteUrl), gitRef, commit.Sha);
            return commit.Sha;
        }
        catch (LibGit2SharpException e)
        {
            throw new GitCheckoutException($"git fetch {Redact(RemoteUrl)} {gitRef}: {Redact(e.Message)}", e);
        }
    }

    /// <summary>The content of a fetched commit; dispose it when the sync is done.</summary>
    public GitCommitTree Open(string commit) => new(RepositoryPath, commit);

    private Repository OpenOrCreate()
    {
        if (!Repository.IsValid(RepositoryPath))
        {
            if (Directory.Exists(RepositoryPath))
            {
                Directory.Delete(RepositoryPath, recursive: true); // a half-created clone from an interrupted run
            }

            Directory.CreateDirectory(Path.GetDirectoryName(RepositoryPath)!);
            Repository.Init(RepositoryPath, isBare: true);
        }

        var repository = new Repository(RepositoryPath);
        var existing = repository.Network.Remotes[RemoteName];
        if (existing is null)
        {
            repository.Network.Remotes.Add(RemoteName, RemoteUrl);
        }
        else if (existing.Url != RemoteUrl)
        {
            repository.Network.Remotes.Update(RemoteName, r => r.Url = RemoteUrl);
        }

        return repository;
    }

    private string FetchCommit(Repository repository, string commitId, CancellationToken cancellationToken)
    {
        // A commit id names immutable content: when it is already here there is nothing to fetch.
        if (repository.Lookup<Commit>(commitId) is { } present)
        {
            return present.Sha;
        }

        FetchRefspecs(repository, ["+refs/heads/*:refs/stoker/heads/*", "+refs/tags/*:refs/tags/*"], cancellationToken);
        if (repository.Lookup<Commit>(commitId) is { } fetched)
        {
            return fetched.Sha;
        }

        throw new GitCheckoutException($"commit {commitId} not found in {Redact(RemoteUrl)} (it is not reachable from any branch or tag)");
    }

    /// <summary>Looks the ref up on the remote: an exact <c>refs/…</c> name, else a branch, else a tag.</summary>
    private (string Name, string Target) ResolveRemoteRef(Repository repository, string gitRef)
    {
        var remote = repository.Network.Remotes[RemoteName];
        var listed = CredentialsProvider is { } provider ? repository.Network.ListReferences(remote, provider) : repository.Network.ListReferences(remote);
        var references = listed
            .ToDictionary(r => r.CanonicalName, r => r.TargetIdentifier, StringComparer.Ordinal);
        string[] candidates = gitRef.StartsWith("refs/", StringComparison.Ordinal) ? [gitRef] : ["refs/heads/" + gitRef, "refs/tags/" + gitRef];
        foreach (var name in candidates)
        {
            if (references.TryGetValue(name, out var target))
            {
                // Annotated tags are listed twice; the "^{}" entry is the commit they point to.
                return (name, references.TryGetValue(name + "^{}", out var peeled) ? peeled : target);
            }
        }

        throw new GitCheckoutException($"ref {gitRef} not found in {Redact(RemoteUrl)} (looked for {string.Join(", ", candidates)})");
    }

    private void FetchRefspecs(Repository repository, IEnumerable<string> refspecs, CancellationToken cancellationToken)
    {
        var options = new FetchOptions
        {
            CredentialsProvider = CredentialsProvider,
            TagFetchMode = TagFetchMode.None,
            Prune = false,
            OnTransferProgress = _ => !cancellationToken.IsCancellationRequested,
        };
        Commands.Fetch(repository, RemoteName, refspecs, options, logMessage: null);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private CredentialsHandler? CredentialsProvider => credentials is null
        ? null
        : (_, _, _) => new UsernamePasswordCredentials { Username = GitCredentials.TokenUser, Password = credentials.Token };

    /// <summary>Removes URL credentials and the token from a message.</summary>
    public string Redact(string message)
    {
        message = UrlCredentials().Replace(message, "://<redacted>@");
        return credentials?.Redact(message) ?? message;
    }

    private static bool IsFullCommitId(string value) => value.Length == 40 && value.All(char.IsAsciiHexDigit);

    private static string NormaliseRemote(string remote)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(remote);
        if (remote.Contains("://", StringComparison.Ordinal) || ScpLike().IsMatch(remote))
        {
            return remote;
        }

        return Path.GetFullPath(remote);
    }

    [GeneratedRegex(@"://[^@\s/]+@")]
    private static partial Regex UrlCredentials();

    [GeneratedRegex(@"^[^/\s]+@[^/\s:]+:")]
    private static partial Regex ScpLike();

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "Resolved {Remote} {Ref} to {Commit}")]
    private static partial void LogResolved(ILogger logger, string remote, string @ref, string commit);
}
