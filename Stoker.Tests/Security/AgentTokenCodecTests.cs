using System.Buffers.Text;
using System.Text;
using Stoker.Silo.Security;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Security;

/// <summary>The signed local-mode agent token: its key file and what the silo accepts.</summary>
public sealed class AgentTokenCodecTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new("agent-token-key");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void LoadOrCreate_Missing_CreatesA32ByteKeyOwnerOnly_ThenReadsTheSame()
    {
        var path = _temp.Combine("state", "agent-token.key");

        var created = AgentTokenKey.LoadOrCreate(path);
        var again = AgentTokenKey.LoadOrCreate(path);

        Assert.Equal(AgentTokenKey.MinBytes, created.Length);
        Assert.Equal(created, again);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Theory]
    [InlineData("c2hvcnQ=", "it holds 5 bytes")]
    [InlineData("not base64 at all!", "it is not base64")]
    public void Load_NoUsableKey_NamesTheFileAndTheRule(string content, string why)
    {
        var path = _temp.Combine("bad.key");
        File.WriteAllText(path, content);

        var error = Assert.Throws<InvalidOperationException>(() => AgentTokenKey.LoadOrCreate(path));

        Assert.Equal($"agent token key file \"{path}\": {why}; it must hold the base64 of at least 32 random bytes (e.g. `openssl rand -base64 32`), "
            + "or be absent so the silo creates one", error.Message);
    }

    [Fact]
    public async Task Verify_MintedToken_AcceptedForItsGatewayUntilItsExpiry()
    {
        var codec = new AgentTokenCodec(new byte[32]);
        var minted = codec.Mint("plant/site/gw-a", Now, TimeSpan.FromHours(2));

        var valid = await codec.VerifyAsync(minted.Token, Now.AddHours(1));
        var expired = await codec.VerifyAsync(minted.Token, Now.AddHours(2));

        Assert.True(valid.IsAccepted);
        Assert.Equal(("plant/site/gw-a", minted.Id, Now.AddHours(2)), (valid.GatewayKey!, valid.TokenId!, valid.ValidUntil));
        Assert.Equal(AgentCallRefusalReasons.Expired, expired.Reason);
        Assert.Equal(minted.Id, AgentTokenCodec.ReadId(minted.Token));
    }

    [Fact]
    public async Task Verify_ForgedTokens_Refused()
    {
        var codec = new AgentTokenCodec(new byte[32]);
        var parts = codec.Mint("plant/site/gw-a", Now, TimeSpan.FromHours(2)).Token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
        var otherGateway = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.Replace("gw-a", "gw-b", StringComparison.Ordinal)));
        var none = Base64Url.EncodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}"u8);
        var otherKey = new AgentTokenCodec(Enumerable.Repeat((byte)7, 32).ToArray()).Mint("plant/site/gw-a", Now, TimeSpan.FromHours(2)).Token;

        foreach (var forged in new[] { $"{parts[0]}.{otherGateway}.{parts[2]}", $"{none}.{parts[1]}.", otherKey, "not-a-jwt", "" })
        {
            var verdict = await codec.VerifyAsync(forged, Now);
            Assert.False(verdict.IsAccepted, forged);
            Assert.Equal(AgentCallRefusalReasons.InvalidCredential, verdict.Reason);
            Assert.StartsWith("the agent credential is not a token of this cluster: ", verdict.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void OptionsValidator_BadTtlsAndPaths_NamedWithValueAndRule()
    {
        var result = new AgentCredentialOptionsValidator().Validate(null, new AgentCredentialOptions
        {
            AgentTokenKeyFile = "relative.key",
            DefaultTokenTtl = TimeSpan.FromHours(9000),
            CacheSize = -1,
        });

        Assert.Equal(
        [
            "Stoker:Security:AgentTokenKeyFile: \"relative.key\": must be an absolute path",
            "Stoker:Security:DefaultTokenTtl: 375.00:00:00: must be between 00:01:00 and MaxTokenTtl (365.00:00:00)",
            "Stoker:Security:CacheSize: -1: must be between 0 and 1000000",
        ], result.Failures);
    }
}
