namespace Stoker.Tests.PrivateRepos;

/// <summary>The private-repository tests share one silo and run one after another (each starts agents and git servers).</summary>
[CollectionDefinition(Name)]
public sealed class PrivateReposCollection : ICollectionFixture<PrivateReposSilo>
{
    public const string Name = "PrivateRepos";
}
