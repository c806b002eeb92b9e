namespace Stoker.Grains.Git;

/// <summary>
/// Resolves refs with one reference advertisement (<c>ls-remote</c>) through LibGit2Sharp: local paths,
/// <c>file://</c>, smart HTTP(S), <c>git://</c> and SSH (through the system <c>ssh</c>).
/// </summary>
public sealed class LibGit2RefResolver : IRefResolver
{
    private readonly TimeProvider _timeProvider;

    public LibGit2RefResolver()
        : this(TimeProvider.System)
    {
    }

    public LibGit2RefResolver(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    public async Task<RefResolution> ResolveAsync(RefResolveRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(request);
        // WaitAsync returns a listing that already finished even when the token is cancelled: check first.
        cancellationToken.ThrowIfCancellationRequested();
        var shownUrl = UrlRedactor.Redact(request.RepoUrl);

        // LibGit2Sharp blocks and offers no way to cancel a listing: run it on the thread pool and stop waiting at
        // the deadline. The abandoned call ends on its own (transport errors, ssh's own timeouts).
        var listing = Task.Run(() => RemoteAdvertisement.List(request, shownUrl), CancellationToken.None);
        IReadOnlyList<KeyValuePair<string, string>> advertisement;
        try
        {
            advertisement = await listing.WaitAsync(LsRemoteTimeout.Duration, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Abandon(listing);
            throw new RefResolutionException(LsRemoteTimeout.Message(shownUrl));
        }
        catch (OperationCanceledException)
        {
            Abandon(listing);
            throw;
        }

        // A full SHA is not looked up, but only after the listing proved the remote reachable with these credentials.
        var commit = RefMatcher.Match(request.Ref, advertisement)
            ?? throw new RefResolutionException($"ref \"{request.Ref}\" not found in remote {shownUrl}");
        var resolution = new RefResolution(commit, request.Ref);
        if (request.OtherRefs.Count == 0)
        {
            return resolution;
        }

        var others = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var other in request.OtherRefs)
        {
            others[other] = RefMatcher.Match(other, advertisement);
        }

        return resolution with { Others = others };
    }

    private static void Validate(RefResolveRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.RepoUrl))
        {
            throw new RefResolutionException($"repository URL \"{request.RepoUrl}\": must not be empty");
        }

        if (string.IsNullOrWhiteSpace(request.Ref))
        {
            throw new RefResolutionException($"ref \"{request.Ref}\": must not be empty (a branch, tag or 40-hex commit SHA)");
        }
    }

    private static void Abandon(Task listing) =>
        listing.ContinueWith(
            static finished => _ = finished.Exception,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
}
