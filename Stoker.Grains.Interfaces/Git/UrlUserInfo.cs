using System.Text.RegularExpressions;

namespace Stoker.Grains.Interfaces.Git;

/// <summary>
/// Hides the user-info part (<c>user:password@</c>) of every URL in a text before it is shown, logged or stored.
/// Here rather than in the grains so that every project (the CLI, the agent, the message records' <c>ToString</c>)
/// hides URLs the same way; <c>Stoker.Grains.Git.UrlRedactor</c> forwards to it.
/// Hand-written: <see cref="Uri"/> only handles a whole, well-formed URL, and messages embed URLs in free text.
/// </summary>
public static partial class UrlUserInfo
{
    public const string Mask = "***";

    /// <summary>
    /// <c>https://user:token@host/x</c> → <c>https://***@host/x</c>. A bare SSH user name (<c>ssh://git@host</c>) is
    /// kept: over SSH it is not a secret, whereas over HTTP a user name alone is often a token.
    /// </summary>
    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        return UserInfo().Replace(text, match =>
        {
            var scheme = match.Groups["scheme"].Value;
            var userInfo = match.Groups["userinfo"].Value;
            var isSsh = scheme.StartsWith("ssh", StringComparison.OrdinalIgnoreCase) ||
                        scheme.StartsWith("git+ssh", StringComparison.OrdinalIgnoreCase);
            return isSsh && !userInfo.Contains(':', StringComparison.Ordinal)
                ? match.Value
                : $"{scheme}{Mask}@";
        });
    }

    // Greedy up to the last '@' before the path, so a password with an unescaped '@' is hidden whole.
    [GeneratedRegex(@"(?<scheme>\b[a-zA-Z][a-zA-Z0-9+.\-]*://)(?<userinfo>[^/?#\s]*)@")]
    private static partial Regex UserInfo();
}
