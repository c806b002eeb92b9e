using System.Text.RegularExpressions;
using Stoker.Tests.Demo;

namespace Stoker.Tests.Security;

/// <summary>
/// Issue 14, point 4: every secret is compared in constant time. A secret compared with <c>==</c>,
/// <c>Equals</c> or <c>SequenceEqual</c> answers sooner the earlier it differs, which lets a caller guess it byte by
/// byte; the product code must use <c>CryptographicOperations.FixedTimeEquals</c>. This scans the product sources for
/// such a comparison on anything named like a secret, so a new one fails here rather than in a review.
/// </summary>
public sealed partial class SecretComparisonAuditTests
{
    private static readonly string[] ProductFolders =
        ["Stoker.Silo", "Stoker.Grains", "Stoker.Grains.Interfaces", "Stoker.AgentClient", "Stoker.Cli", "Stoker.Sync", "Stoker.IgnitionSimulator", "Stoker.Demo"];

    [Fact]
    public void ProductCode_ComparesSecretsOnlyInConstantTime()
    {
        var findings = new List<string>();
        foreach (var folder in ProductFolders)
        {
            foreach (var file in Directory.EnumerateFiles(Checkout.Combine(folder), "*.cs", SearchOption.AllDirectories)
                         .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)))
            {
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    if (SecretComparison().IsMatch(lines[i]) && !lines[i].Contains("FixedTimeEquals", StringComparison.Ordinal))
                    {
                        findings.Add($"{Path.GetRelativePath(Checkout.Combine(), file)}:{i + 1}: {lines[i].Trim()}");
                    }
                }
            }
        }

        Assert.True(findings.Count == 0, "secrets compared in variable time:\n" + string.Join("\n", findings));
    }

    [Theory]
    [InlineData("if (token == presented)")]
    [InlineData("return presented != options.BearerToken;")]
    [InlineData("if (hmacSecret.Equals(header))")]
    [InlineData("ok = string.Equals(password, given, StringComparison.Ordinal);")]
    [InlineData("digest.AsSpan().SequenceEqual(signature)")]
    public void Audit_RecognisesVariableTimeComparisons(string line) => Assert.Matches(SecretComparison(), line);

    [Theory]
    [InlineData("if (token is null)")]
    [InlineData("if (token == null || secret != null)")]
    [InlineData("reader.TokenType == JsonTokenType.PropertyName")]
    [InlineData("while (t < tokens.Count && tokens[t].Kind == TokenKind.Star)")]
    [InlineData("CryptographicOperations.FixedTimeEquals(expected, actual)")]
    public void Audit_IgnoresWhatIsNoComparisonOfSecrets(string line) => Assert.DoesNotMatch(SecretComparison(), line.Contains("FixedTimeEquals", StringComparison.Ordinal) ? "" : line);

    /// <summary>
    /// An identifier named like a secret (token, secret, password, hmac, signature, api key, credential; not a lexer's
    /// <c>tokens</c>, <c>TokenType</c> or <c>TokenKind</c>) on either side of <c>==</c>/<c>!=</c> (but not against <c>null</c>), or as a receiver or
    /// argument of <c>Equals</c>/<c>SequenceEqual</c>.
    /// </summary>
    [GeneratedRegex(
        @"(?ix)
        (?<secret>\b\w*(?<!\.)(token(?!type|kind|s\b)|secret|password|hmac|signature|apikey|credential)\w*\b)
        (?: \s*(==|!=)\s*(?!null\b)[\w.""]
          | (\.\w+)*\.(Equals|SequenceEqual)\(
          )
        | (==|!=)\s*[\w.]*(token(?!type|kind|s\b)|secret|password|hmac|signature|apikey|credential)\w*\b
        | (Equals|SequenceEqual)\([^)]*(token(?!type|kind|s\b)|secret|password|hmac|signature|apikey|credential)",
        RegexOptions.CultureInvariant)]
    private static partial Regex SecretComparison();
}
