using Stoker.Sync.Patching;

namespace Stoker.Tests.Patching;

// docs/resource-reference.md (patches[].file): which staged files a patch applies to.
public sealed class PatchTargetsTests
{
    [Theory]
    [InlineData("system-properties/config.json", "system-properties/config.json", true)]
    [InlineData("system-properties/config.json", "other.json", false)]
    [InlineData("system-properties/config.json", "x/system-properties/config.json", false)]
    [InlineData("*.json", "conn1.json", true)]
    [InlineData("*.json", "sub/conn1.json", false)]
    [InlineData("**/*.json", "conn1.json", true)]
    [InlineData("**/*.json", "sub/deep/conn1.json", true)]
    [InlineData("**/*.json", "sub/readme.md", false)]
    [InlineData("{conn1,conn2}.json", "conn2.json", true)]
    [InlineData("conn?.json", "conn10.json", false)]
    public void Matches_DirMapping_MatchesPathRelativeToDestination(string glob, string relativePath, bool expected)
    {
        Assert.Equal(expected, PatchTargets.Matches(glob, relativePath, isFileMapping: false, "config/resources/core"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Matches_FileMappingWithoutFile_MatchesTheMappedFile(string? glob)
    {
        Assert.True(PatchTargets.Matches(glob, ".versions.json", isFileMapping: true, "config/versions/.versions.json"));
        Assert.True(PatchTargets.Matches(glob, ".versions.json", isFileMapping: true, ".versions.json"));
    }

    [Fact]
    public void Matches_FileMapping_UsesOnlyTheBaseName()
    {
        Assert.True(PatchTargets.Matches(null, "config/versions/.versions.json", isFileMapping: true, "config/versions/.versions.json"));
        Assert.True(PatchTargets.Matches("*.json", "config/versions/.versions.json", isFileMapping: true, "config/versions/.versions.json"));
        // Only base-name patterns can match a file mapping.
        Assert.False(PatchTargets.Matches("versions/.versions.json", ".versions.json", isFileMapping: true, "config/versions/.versions.json"));
    }

    [Fact]
    public void Matches_DirMappingWithoutFile_MatchesOnlyRootFileNamedLikeDestination()
    {
        Assert.True(PatchTargets.Matches(null, "core", isFileMapping: false, "config/resources/core"));
        Assert.False(PatchTargets.Matches(null, "config.json", isFileMapping: false, "config/resources/core"));
        Assert.False(PatchTargets.Matches(null, "sub/core", isFileMapping: false, "config/resources/core/"));
    }

    [Fact]
    public void Matches_CaseDiffers_DoesNotMatch()
    {
        Assert.False(PatchTargets.Matches("Config.json", "config.json", isFileMapping: false, "d"));
    }

    [Theory]
    [InlineData("[")]
    [InlineData("{a,b")]
    [InlineData("conf\\")]
    public void Matches_MalformedPattern_ThrowsInvalidPatchFilePattern(string glob)
    {
        var e = Assert.Throws<JsonPatchException>(() => PatchTargets.Matches(glob, "config.json", isFileMapping: false, "d"));

        Assert.StartsWith($"invalid patch file pattern \"{glob}\": ", e.Message, StringComparison.Ordinal);
        Assert.Equal("config.json", e.FileName);
        Assert.Null(e.Path);
    }
}
