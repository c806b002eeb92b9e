using System.Text;
using Stoker.Sync.Git;
using Stoker.Sync;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Git;

/// <summary>
/// Blob reads of <see cref="GitCommitTree"/>: libgit2 called directly (one inflation per blob), bytes exactly as
/// committed whatever their size, and the same bytes whether read whole or streamed.
/// </summary>
public sealed class GitCommitTreeBlobTests : IDisposable
{
    private readonly GitRepository _repo = GitRepository.Create();

    [Fact]
    public void Blobs_are_read_through_libgit2_directly()
    {
        _repo.WriteFile("a.txt", "a");
        using var tree = new GitCommitTree(_repo.Path, _repo.Commit("one file"));

        Assert.True(NativeBlobReader.Available, "libgit2 could not be called directly: has LibGit2Sharp's native library been renamed? (NativeGit.Library)");
        Assert.True(tree.ReadsBlobsDirectly);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65_536)]
    [InlineData(65_537)]
    [InlineData(1_000_003)]
    public void Read_and_streamed_copy_give_the_committed_bytes(int size)
    {
        var content = new byte[size];
        new Random(size).NextBytes(content);
        if (size > 2)
        {
            content[1] = 0; // binary
            content[2] = (byte)'\r';
        }

        _repo.WriteBytes("dir/blob.bin", content);
        using var tree = new GitCommitTree(_repo.Path, _repo.Commit("a blob"));
        var entry = tree.Find("dir/blob.bin")!;

        Assert.Equal(content, tree.Read(entry));
        using var copy = new MemoryStream();
        tree.CopyTo(entry, copy);
        Assert.Equal(content, copy.ToArray());
    }

    [Fact]
    public void Content_is_read_as_committed_without_attribute_filters()
    {
        _repo.WriteFile(".gitattributes", "* text eol=crlf\n");
        _repo.WriteFile("lines.txt", "one\ntwo\n");
        using var tree = new GitCommitTree(_repo.Path, _repo.Commit("text with attributes"));
        var entry = tree.Find("lines.txt")!;

        using var copy = new MemoryStream();
        tree.CopyTo(entry, copy);
        Assert.Equal("one\ntwo\n", Encoding.UTF8.GetString(copy.ToArray()));
        Assert.Equal("one\ntwo\n", Encoding.UTF8.GetString(tree.Read(entry)));
    }

    [Fact]
    public void A_missing_blob_is_named_in_the_error()
    {
        _repo.WriteFile("a.txt", "a");
        using var tree = new GitCommitTree(_repo.Path, _repo.Commit("one file"));
        var missing = new SourceEntry("gone.txt", SourceEntryKind.File, new string('e', 40), false);

        var read = Assert.Throws<GitCheckoutException>(() => tree.Read(missing));
        var copy = Assert.Throws<GitCheckoutException>(() => tree.CopyTo(missing, Stream.Null));
        Assert.Contains("eeeeeeee", read.Message, StringComparison.Ordinal);
        Assert.Contains("gone.txt", copy.Message, StringComparison.Ordinal);
        Assert.Contains("not found", copy.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _repo.Dispose();
}
