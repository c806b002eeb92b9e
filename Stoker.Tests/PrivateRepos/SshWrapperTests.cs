using System.Runtime.Versioning;
using Stoker.Git;

namespace Stoker.Tests.PrivateRepos;

[UnsupportedOSPlatform("windows")]
public sealed class SshWrapperTests
{
    [Fact]
    public void Create_KeyAndKnownHosts_PrivateFolderAndFilesDeletedOnDispose()
    {
        string folder;
        using (var wrapper = SshWrapper.Create("-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key\n-----END OPENSSH PRIVATE KEY-----", "[127.0.0.1]:22 ssh-ed25519 AAAA\n", TimeSpan.FromSeconds(30)))
        {
            folder = wrapper.Folder;
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Join(folder, "identity")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Join(folder, "known_hosts")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(wrapper.Script));
            var script = File.ReadAllText(wrapper.Script);
            Assert.Contains("StrictHostKeyChecking=yes", script, StringComparison.Ordinal);
            Assert.DoesNotContain("not-a-real-key", script, StringComparison.Ordinal);
        }

        Assert.False(Directory.Exists(folder), "the wrapper's folder (key copy included) is deleted on dispose");
    }

    [Fact]
    public void Create_NoKnownHosts_AcceptsAnyHostKey()
    {
        using var wrapper = SshWrapper.Create(privateKey: null, knownHosts: null, TimeSpan.FromSeconds(5));

        var script = File.ReadAllText(wrapper.Script);
        Assert.Contains("StrictHostKeyChecking=no", script, StringComparison.Ordinal);
        Assert.DoesNotContain(" -i ", script, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Join(wrapper.Folder, "identity")));
    }
}
