using System.Text.RegularExpressions;
using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stoker.Git;
using Stoker.Grains.Interfaces.Git;
using Stoker.Grains.Interfaces.Messages;

namespace Stoker.Sync.Git;

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
/// <para>
/// A repository on this machine (a path or a <c>file://</c> URL) is not fetched at all: libgit2's local transport
/// builds the pack in-process (the initial sync of a 20,000-file repository: 24.5 s, against 10 s for git clone + cp;
/// docs/sync-engine.md). Instead the copy gets an <c>objects/info/alternates</c> entry naming the
/// source's object folder, as <c>git clone --shared</c> does, refs are read from the source directly and written into the
/// copy, and the engine reads the source's objects in place. Ref resolution, annotated tags and the errors for a
/// missing ref or an unreachable commit are the same as over the network.
/// </para>
/// <para>
/// Credentials come with each <see cref="Fetch(string, GitFetchCredentials?, CancellationToken)"/>, not with the
/// instance: a rotated token or key is used by the next fetch without re-creating the checkout, and nothing of it is
/// kept once the fetch returns (docs/private-repositories.md). Over SSH the fetch runs the system <c>ssh</c> through
/// <see cref="SshWrapper"/>, the control plane's way, with the key in a private temporary folder for that fetch only.
/// </para>
/// </summary>
public sealed partial class GitCheckout(string workDirectory, string remote, ILogger<GitCheckout>? logger = null)
{
    /// <summary>ssh's connect timeout during a fetch (the fetch itself has no deadline: a first clone may be large).</summary>
    private static readonly TimeSpan SshConnectTimeout = TimeSpan.FromSeconds(30);

    private const string RemoteName = "origin";
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    public string RepositoryPath { get; } = Path.Join(Path.GetFullPath(workDirectory), "repo.git");

    /// <summary>The remote as libgit2 gets it: local paths made absolute.</summary>
    public string RemoteUrl { get; } = NormaliseRemote(remote);

    /// <summary>The folder of a repository on this machine (a path or a <c>file://</c> URL), or null for a network remote.</summary>
    public string? LocalPath { get; } = LocalPathOf(NormaliseRemote(remote));

    /// <summary>The remote for messages and reports: credentials in the URL replaced.</summary>
    public string RedactedRemote => Redact(RemoteUrl);

    /// <summary>Fetches what <paramref name="gitRef"/> needs, without credentials, and returns the full commit id it resolves to.</summary>
    /// <exception cref="GitCheckoutException">The ref does not exist, the remote is unreachable, or asks for credentials.</exception>
    public string Fetch(string gitRef, CancellationToken cancellationToken = default) => Fetch(gitRef, credentials: null, cancellationToken);

    /// <summary>Fetches what <paramref name="gitRef"/> needs and returns the full commit id it resolves to.</summary>
    /// <param name="credentials">
    /// For this fetch only: a token (<see cref="GitFetchCredentials.Password"/>, HTTP basic auth) or an SSH key with
    /// optional known_hosts; null for none. The caller has checked that they are meant for <see cref="RemoteUrl"/>.
    /// </param>
    /// <exception cref="GitCheckoutException">The ref does not exist, the remote is unreachable, or authentication failed.</exception>
    public string Fetch(string gitRef, GitFetchCredentials? credentials, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(gitRef))
        {
            throw new GitCheckoutException("ref: a branch, tag or commit id is required");
        }

        gitRef = gitRef.Trim();
        _ = NativeBlobReader.Available; // bounds libgit2's mapped pack windows before the first clone (see there)
        if (LocalPath is not null)
        {
            try
            {
                return FetchLocal(gitRef);
            }
            catch (LibGit2SharpException e)
            {
                throw new GitCheckoutException($"git fetch {Redact(RemoteUrl)} {gitRef}: {Redact(e.Message)}", e);
            }
        }

        var offered = new SingleAttemptCredentials(
            string.IsNullOrEmpty(credentials?.Username) ? GitCredentials.TokenUsername : credentials.Username, credentials?.Password);
        using var ssh = SshUrl.IsSsh(RemoteUrl) && !OperatingSystem.IsWindows()
            ? SshWrapper.Create(credentials?.SshPrivateKey, credentials?.KnownHosts, SshConnectTimeout)
            : null;
        try
        {
            using var repository = OpenOrCreate(alternate: null);
            if (ssh is not null && !OperatingSystem.IsWindows())
            {
                ssh.AttachTo(repository);
            }

            try
            {
                return FetchRemote(repository, gitRef, offered, cancellationToken);
            }
            finally
            {
                if (ssh is not null && !OperatingSystem.IsWindows())
                {
                    // The script is deleted with the wrapper: the repository must not keep naming it.
                    SshWrapper.Detach(repository);
                }
            }
        }
        catch (LibGit2SharpException e)
        {
            throw new GitCheckoutException(Describe(e, gitRef, offered, ssh, credentials), e);
        }
    }

    private string FetchRemote(Repository repository, string gitRef, SingleAttemptCredentials offered, CancellationToken cancellationToken)
    {
        if (IsFullCommitId(gitRef))
        {
            return FetchCommit(repository, gitRef, offered, cancellationToken);
        }

        var (name, target) = ResolveRemoteRef(repository, gitRef, offered);
        var destination = name.StartsWith("refs/tags/", StringComparison.Ordinal) ? name : "refs/stoker/" + name["refs/".Length..];
        FetchRefspecs(repository, [$"+{name}:{destination}"], offered, cancellationToken);
        var commit = repository.Lookup(target)?.Peel<Commit>()
            ?? repository.Refs[destination]?.ResolveToDirectReference()?.Target?.Peel<Commit>()
            ?? throw new GitCheckoutException($"ref {gitRef} ({name}) does not point to a commit");
        LogResolved(_logger, Redact(RemoteUrl), gitRef, commit.Sha);
        return commit.Sha;
    }

    /// <summary>
    /// The report's words for a failed fetch: authentication and host-key failures say so and name the (redacted)
    /// remote; ssh's own stderr, which libgit2 does not read, gives the reason. Never the token or the key.
    /// </summary>
    private string Describe(LibGit2SharpException e, string gitRef, SingleAttemptCredentials offered, SshWrapper? ssh, GitFetchCredentials? credentials)
    {
        var shown = Redact(RemoteUrl);
        if (offered.Failed)
        {
            return $"authentication failed for {shown}: {offered.FailureReason}";
        }

        var sshReason = ssh is not null && !OperatingSystem.IsWindows() ? ssh.ReadSshErrors() : "";
        var reason = Redact(sshReason.Length == 0 ? e.Message : $"{e.Message}: {sshReason}", credentials);
        if (sshReason.Contains("Host key verification failed", StringComparison.Ordinal))
        {
            return $"host key verification failed for {shown}: {reason}";
        }

        return sshReason.Contains("Permission denied", StringComparison.Ordinal)
            ? $"authentication failed for {shown}: {reason}"
            : $"git fetch {shown} {gitRef}: {reason}";
    }

    /// <summary>The content of a fetched commit; dispose it when the sync is done.</summary>
    public GitCommitTree Open(string commit) => new(RepositoryPath, commit);

    /// <summary>
    /// The ref or commit id resolved in the source repository itself; the copy only records it (see the class remarks).
    /// </summary>
    private string FetchLocal(string gitRef)
    {
        using var source = new Repository(LocalPath);
        using var repository = OpenOrCreate(alternate: ObjectsFolderOf(source));
        if (IsFullCommitId(gitRef))
        {
            // As over the network, only what a branch or tag reaches can be asked for by id: the object folder may
            // also hold unreachable commits, which a fetch would never transfer.
            if (repository.Lookup<Commit>(gitRef) is { } commit && Reachable(repository, commit, source.Refs.Where(IsBranchOrTag).Concat(repository.Refs)))
            {
                return commit.Sha;
            }

            throw new GitCheckoutException($"commit {gitRef} not found in {Redact(RemoteUrl)} (it is not reachable from any branch or tag)");
        }

        var references = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var reference in source.Refs)
        {
            if (reference.ResolveToDirectReference()?.TargetIdentifier is { } target)
            {
                references[reference.CanonicalName] = target;
            }
        }

        var (name, id) = Resolve(references, gitRef);
        var destination = name.StartsWith("refs/tags/", StringComparison.Ordinal) ? name : "refs/stoker/" + name["refs/".Length..];
        repository.Refs.Add(destination, new ObjectId(id), allowOverwrite: true);
        var resolved = repository.Lookup(id)?.Peel<Commit>()
            ?? throw new GitCheckoutException($"ref {gitRef} ({name}) does not point to a commit");
        LogReadInPlace(_logger, Redact(RemoteUrl), gitRef, resolved.Sha);
        return resolved.Sha;
    }

    private static bool IsBranchOrTag(Reference reference) =>
        reference.CanonicalName.StartsWith("refs/heads/", StringComparison.Ordinal) || reference.CanonicalName.StartsWith("refs/tags/", StringComparison.Ordinal);

    /// <summary>
    /// Whether one of <paramref name="references"/> reaches <paramref name="commit"/>: the source's branches and tags
    /// (what a fetch of a commit id transfers) and the refs already in the copy (what an earlier fetch brought).
    /// </summary>
    private static bool Reachable(Repository repository, Commit commit, IEnumerable<Reference> references)
    {
        var tips = new List<Commit>();
        foreach (var reference in references)
        {
            if (reference.ResolveToDirectReference()?.TargetIdentifier is { } id && CommitOf(repository.Lookup(id)) is { } tip)
            {
                if (tip.Id == commit.Id)
                {
                    return true;
                }

                tips.Add(tip);
            }
        }

        // Walking "commit ^tip…" yields nothing exactly when a tip reaches the commit.
        return tips.Count > 0 && !repository.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = commit, ExcludeReachableFrom = tips }).Any();
    }

    /// <summary>The commit a ref's object is or leads to through tags; null for a tag of a tree or a blob.</summary>
    private static Commit? CommitOf(GitObject? target)
    {
        while (target is TagAnnotation tag)
        {
            target = tag.Target;
        }

        return target as Commit;
    }

    /// <summary>The source's object folder (a linked work tree's is in its common folder).</summary>
    private static string ObjectsFolderOf(Repository source)
    {
        var gitDirectory = source.Info.Path;
        var common = Path.Join(gitDirectory, "commondir");
        if (File.Exists(common))
        {
            gitDirectory = Path.GetFullPath(Path.Join(gitDirectory, File.ReadAllText(common).Trim()));
        }

        return Path.GetFullPath(Path.Join(gitDirectory, "objects"));
    }

    /// <summary>
    /// Opens the agent's copy, created when missing. <paramref name="alternate"/> is the object folder it borrows from (a
    /// local source) or null. A copy that borrows from another folder, or borrows when it should not, is made afresh:
    /// its refs may name objects it cannot reach any more, and over the network nothing of it is kept but new objects.
    /// </summary>
    private Repository OpenOrCreate(string? alternate)
    {
        var alternates = Path.Join(RepositoryPath, "objects", "info", "alternates");
        var wanted = alternate is null ? null : alternate + "\n";
        var valid = Repository.IsValid(RepositoryPath);
        var present = valid && File.Exists(alternates) ? File.ReadAllText(alternates) : null;
        if (!valid || (present is not null && present != wanted))
        {
            if (Directory.Exists(RepositoryPath))
            {
                Directory.Delete(RepositoryPath, recursive: true); // a half-created clone from an interrupted run, or another source
            }

            Directory.CreateDirectory(Path.GetDirectoryName(RepositoryPath)!);
            Repository.Init(RepositoryPath, isBare: true);
        }

        if (wanted is not null && (!File.Exists(alternates) || File.ReadAllText(alternates) != wanted))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(alternates)!);
            File.WriteAllText(alternates, wanted);
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

    private string FetchCommit(Repository repository, string commitId, SingleAttemptCredentials offered, CancellationToken cancellationToken)
    {
        // A commit id names immutable content: when it is already here there is nothing to fetch.
        if (repository.Lookup<Commit>(commitId) is { } present)
        {
            return present.Sha;
        }

        FetchRefspecs(repository, ["+refs/heads/*:refs/stoker/heads/*", "+refs/tags/*:refs/tags/*"], offered, cancellationToken);
        if (repository.Lookup<Commit>(commitId) is { } fetched)
        {
            return fetched.Sha;
        }

        throw new GitCheckoutException($"commit {commitId} not found in {Redact(RemoteUrl)} (it is not reachable from any branch or tag)");
    }

    /// <summary>Looks the ref up on the remote: an exact <c>refs/…</c> name, else a branch, else a tag.</summary>
    private (string Name, string Target) ResolveRemoteRef(Repository repository, string gitRef, SingleAttemptCredentials offered)
    {
        var remote = repository.Network.Remotes[RemoteName];
        var listed = repository.Network.ListReferences(remote, offered.ForOperation());
        return Resolve(listed.ToDictionary(r => r.CanonicalName, r => r.TargetIdentifier, StringComparer.Ordinal), gitRef);
    }

    /// <summary>An exact <c>refs/…</c> name, else a branch, else a tag, in a listing as <c>git ls-remote</c> gives it.</summary>
    private (string Name, string Target) Resolve(Dictionary<string, string> references, string gitRef)
    {
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

    private static void FetchRefspecs(Repository repository, IEnumerable<string> refspecs, SingleAttemptCredentials offered, CancellationToken cancellationToken)
    {
        var options = new FetchOptions
        {
            CredentialsProvider = offered.ForOperation(),
            TagFetchMode = TagFetchMode.None,
            Prune = false,
            OnTransferProgress = _ => !cancellationToken.IsCancellationRequested,
        };
        Commands.Fetch(repository, RemoteName, refspecs, options, logMessage: null);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Removes URL credentials from a message.</summary>
    public static string Redact(string message) => UrlCredentials().Replace(message, "://<redacted>@");

    /// <summary>Removes URL credentials and the token from a message.</summary>
    private static string Redact(string message, GitFetchCredentials? credentials)
    {
        message = Redact(message);
        return string.IsNullOrEmpty(credentials?.Password) ? message : message.Replace(credentials.Password, "<redacted>", StringComparison.Ordinal);
    }

    private static string? LocalPathOf(string remote)
    {
        if (!remote.Contains("://", StringComparison.Ordinal))
        {
            return ScpLike().IsMatch(remote) ? null : remote;
        }

        // file:///srv/site.git and file://localhost/srv/site.git; a file URL naming another host is left to libgit2.
        return Uri.TryCreate(remote, UriKind.Absolute, out var uri) && uri.IsFile && (uri.Host.Length == 0 || uri.IsLoopback)
            ? Path.GetFullPath(uri.LocalPath)
            : null;
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

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "Resolved {Remote} {Ref} to {Commit}; its objects are read in place (objects/info/alternates), nothing fetched")]
    private static partial void LogReadInPlace(ILogger logger, string remote, string @ref, string commit);

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "Resolved {Remote} {Ref} to {Commit}")]
    private static partial void LogResolved(ILogger logger, string remote, string @ref, string commit);
}
