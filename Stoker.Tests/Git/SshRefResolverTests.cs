using System.Runtime.Versioning;
using Stoker.Grains.Git;
using Stoker.Grains.Interfaces.Git;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Git;

public sealed class SshRefResolverTests(SshRefResolverFixture fixture) : IClassFixture<SshRefResolverFixture>
{
    private readonly LibGit2RefResolver _resolver = new();

    private Task<RefResolution> Resolve(string @ref, GitCredentials? credentials) =>
        _resolver.ResolveAsync(new RefResolveRequest(fixture.Url, @ref, credentials), CancellationToken.None);

    private async Task<string> ResolveFails(string @ref, GitCredentials? credentials) =>
        (await Assert.ThrowsAsync<RefResolutionException>(() => Resolve(@ref, credentials))).Message;

    [Fact]
    public async Task ResolveAsync_KeyAndKnownHosts_ResolvesBranchAndAnnotatedTag()
    {
        var credentials = new GitCredentials { SshPrivateKeyPath = fixture.Server.ClientKeyPath, KnownHostsPath = fixture.Server.KnownHostsPath };

        Assert.Equal(fixture.Main, (await Resolve("main", credentials)).Commit);
        Assert.Equal(fixture.Main, (await Resolve("v2", credentials)).Commit);
    }

    [Fact]
    public async Task ResolveAsync_NoKnownHosts_AcceptsAnyHostKey()
    {
        var credentials = new GitCredentials { SshPrivateKeyPath = fixture.Server.ClientKeyPath };

        Assert.Equal(fixture.Main, (await Resolve("main", credentials)).Commit);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task ResolveAsync_KeyReadableByEveryone_IsStillUsed()
    {
        using var folder = new TempDirectory("loose-key");
        var loose = folder.Combine("key");
        File.Copy(fixture.Server.ClientKeyPath, loose);
        File.SetUnixFileMode(loose, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        Assert.Equal(fixture.Main, (await Resolve("main", new GitCredentials { SshPrivateKeyPath = loose })).Commit);
    }

    [Fact]
    public async Task ResolveAsync_KeyTheServerDoesNotKnow_FailsWithSshReason()
    {
        var message = await ResolveFails("main", new GitCredentials { SshPrivateKeyPath = fixture.Server.UnknownClientKeyPath });

        Assert.StartsWith($"ls-remote {fixture.Url}: ", message, StringComparison.Ordinal);
        Assert.Contains("Permission denied", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_HostKeyNotInKnownHosts_FailsWithHostKeyVerification()
    {
        var credentials = new GitCredentials { SshPrivateKeyPath = fixture.Server.ClientKeyPath, KnownHostsPath = fixture.Server.WrongKnownHostsPath };

        var message = await ResolveFails("main", credentials);

        Assert.StartsWith($"ls-remote {fixture.Url}: ", message, StringComparison.Ordinal);
        Assert.Contains("Host key verification failed", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_FullShaOverSshWithBadKey_StillFails()
    {
        var message = await ResolveFails(fixture.Main, new GitCredentials { SshPrivateKeyPath = fixture.Server.UnknownClientKeyPath });

        Assert.Contains("Permission denied", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_MissingKeyFile_FailsNamingTheFile()
    {
        var message = await ResolveFails("main", new GitCredentials { SshPrivateKeyPath = "/nonexistent/id_ed25519" });

        Assert.Equal("SSH private key file \"/nonexistent/id_ed25519\" does not exist", message);
    }

    [Fact]
    public async Task ResolveAsync_UnknownRefOverSsh_FailsWithTheExactMessage()
    {
        var credentials = new GitCredentials { SshPrivateKeyPath = fixture.Server.ClientKeyPath, KnownHostsPath = fixture.Server.KnownHostsPath };

        Assert.Equal($"ref \"nope\" not found in remote {fixture.Url}", await ResolveFails("nope", credentials));
    }
}
