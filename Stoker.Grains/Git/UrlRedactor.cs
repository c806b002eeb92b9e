using Stoker.Grains.Interfaces.Git;

namespace Stoker.Grains.Git;

/// <summary>
/// Hides the user-info part (<c>user:password@</c>) of every URL in a text before it is shown, logged or stored; the
/// rules live in <see cref="UrlUserInfo"/>, shared with the CLI and the message records.
/// </summary>
public static class UrlRedactor
{
    public const string Mask = UrlUserInfo.Mask;

    /// <inheritdoc cref="UrlUserInfo.Redact"/>
    public static string Redact(string? text) => UrlUserInfo.Redact(text);
}
