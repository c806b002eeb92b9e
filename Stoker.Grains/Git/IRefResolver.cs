namespace Stoker.Grains.Git;

/// <summary>Turns a branch, tag or commit name into the commit it names in a remote repository, without cloning.</summary>
public interface IRefResolver
{
    /// <exception cref="RefResolutionException">The remote could not be listed, or it has no such ref.</exception>
    Task<RefResolution> ResolveAsync(RefResolveRequest request, CancellationToken cancellationToken);
}
