namespace Stoker.Grains.Interfaces.Resources;

/// <summary>Git credentials; at most one method may be set.</summary>
[GenerateSerializer, Immutable]
public sealed record GitAuthSpec
{
    [Id(0)] public SshKeyAuth? SshKey { get; init; }
    [Id(1)] public GitHubAppAuth? GithubApp { get; init; }
    [Id(2)] public TokenAuth? Token { get; init; }
}
