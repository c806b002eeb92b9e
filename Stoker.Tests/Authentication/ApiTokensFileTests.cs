using Stoker.Silo.Authentication;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Authentication;

public sealed class ApiTokensFileTests
{
    [Fact]
    public void Parse_CommentsBlankLinesAndBothRoles_Taken()
    {
        var admin = ApiTokens.New();
        var entries = ApiTokensFile.Parse($"# header\n\n  {ApiTokens.Line(admin, "ops", "admin")}  \r\n\t{ApiTokens.Line(ApiTokens.New(), "ro", "viewer").ToUpperInvariant().Replace("SHA256:", "sha256:", StringComparison.Ordinal).Replace(" RO VIEWER", " ro viewer", StringComparison.Ordinal)}\n", "tokens");
        Assert.Equal([("ops", ApiRole.Admin), ("ro", ApiRole.Viewer)], entries.Select(e => (e.Name, e.Role)));
        Assert.Equal(ApiTokenStore.Hash(admin), entries[0].Sha256);
    }

    [Theory]
    [InlineData("sha256:00 a admin", "line 1: the hash must be sha256: and 64 hex digits")]
    [InlineData("token a admin", "line 1: the first field must start with \"sha256:\"")]
    [InlineData("sha256:0000000000000000000000000000000000000000000000000000000000000000 a", "line 1: 2 fields: must be \"sha256:HEX NAME ROLE\"")]
    [InlineData("sha256:0000000000000000000000000000000000000000000000000000000000000000 a owner", "line 1: role \"owner\": must be admin or viewer")]
    [InlineData("sha256:000000000000000000000000000000000000000000000000000000000000000g a admin", "line 1: the hash must be sha256: and 64 hex digits")]
    public void Parse_BadLine_RefusedNamingLineAndRule(string line, string expected)
    {
        var e = Assert.Throws<ApiTokensFileException>(() => ApiTokensFile.Parse(line, "/etc/stoker/tokens"));
        Assert.StartsWith("Stoker:Api:Authentication:TokensFile: /etc/stoker/tokens: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SameHashTwice_Refused()
    {
        var line = ApiTokens.Line(ApiTokens.New(), "a", "admin");
        var e = Assert.Throws<ApiTokensFileException>(() => ApiTokensFile.Parse($"{line}\n# x\n{line}", "f"));
        Assert.Contains("line 3: the same hash as line 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Store_FindsOnlyKnownTokens_AdminTokenToo()
    {
        using var temp = new TempDirectory("tokens-store");
        var viewer = ApiTokens.New();
        var file = temp.Combine("tokens");
        File.WriteAllText(file, ApiTokens.Line(viewer, "ro", "viewer"));
        var store = new ApiTokenStore(file, "the-admin-token", TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<ApiTokenStore>.Instance);
        Assert.Equal(ApiRole.Viewer, store.Find(viewer)?.Role);
        Assert.Equal(ApiRole.Admin, store.Find("the-admin-token")?.Role);
        Assert.Null(store.Find("the-admin-token "));
        Assert.Null(store.Find(""));
    }
}
