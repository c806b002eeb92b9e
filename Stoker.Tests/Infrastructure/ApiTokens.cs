using System.Security.Cryptography;
using System.Text;

namespace Stoker.Tests.Infrastructure;

/// <summary>Tokens and tokens-file lines for tests, made as docs/local-mode.md tells people to make them.</summary>
public static class ApiTokens
{
    /// <summary>A fresh random token (<c>openssl rand -hex 32</c>).</summary>
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>The tokens-file line for <paramref name="token"/>: <c>sha256:HEX NAME ROLE</c>.</summary>
    public static string Line(string token, string name, string role) =>
        $"sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))} {name} {role}";
}
