using System.Text;

namespace Stoker.Grains.Interfaces.Validation;

/// <summary>
/// Git's ref-name rules, as <c>git check-ref-format --allow-onelevel</c> applies them (git's <c>refs.c</c>
/// <c>check_refname_format</c>), plus a length cap. One-level names are allowed because webhooks and
/// <c>spec.git.ref</c> name branches and tags short (<c>main</c>, <c>v1.2.0</c>). A test runs the real <c>git</c>
/// over a table of names and requires the same verdict.
/// </summary>
public static class GitRefFormat
{
    /// <summary>
    /// Git sets no length limit; we do. A ref travels into resource annotations and status, logs and HTTP answers,
    /// and 255 bytes is the common file-name limit (NAME_MAX): git keeps loose refs as files, so on most systems a
    /// longer single-component ref cannot even exist on disk. Real branch and tag names are far shorter.
    /// </summary>
    public const int MaxBytes = 255;

    private const string LockSuffix = ".lock";

    /// <summary>True when <paramref name="name"/> is a valid ref name; otherwise <paramref name="rule"/> says which rule it breaks.</summary>
    public static bool IsValid(string? name, out string rule)
    {
        rule = "";
        if (string.IsNullOrEmpty(name))
        {
            rule = "must not be empty";
            return false;
        }

        var bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxBytes)
        {
            rule = $"must be at most {MaxBytes} bytes (is {bytes})";
            return false;
        }

        if (name == "@")
        {
            rule = "must not be the single character '@'";
            return false;
        }

        var componentStart = 0;
        var last = '\0';
        for (var i = 0; i <= name.Length; i++)
        {
            var ch = i < name.Length ? name[i] : '/';
            if (ch == '/')
            {
                if (ComponentRule(name.AsSpan(componentStart, i - componentStart)) is { } broken)
                {
                    rule = broken;
                    return false;
                }

                componentStart = i + 1;
            }
            else if (BadCharacter(ch) is { } bad)
            {
                rule = $"must not contain {bad}";
                return false;
            }
            else if (ch == '.' && last == '.')
            {
                rule = "must not contain \"..\"";
                return false;
            }
            else if (ch == '{' && last == '@')
            {
                rule = "must not contain \"@{\"";
                return false;
            }

            last = ch;
        }

        if (name[^1] == '.')
        {
            rule = "must not end with '.'";
            return false;
        }

        return true;
    }

    private static string? ComponentRule(ReadOnlySpan<char> component)
    {
        if (component.IsEmpty)
        {
            return "must not begin or end with '/' or contain \"//\" (empty path component)";
        }

        if (component[0] == '.')
        {
            return "no path component may begin with '.'";
        }

        return component.EndsWith(LockSuffix, StringComparison.Ordinal) ? "no path component may end with \".lock\"" : null;
    }

    private static string? BadCharacter(char ch) => ch switch
    {
        < ' ' or '\x7f' => $"control characters (U+{(int)ch:X4})",
        ' ' => "a space",
        '~' or '^' or ':' or '?' or '*' or '[' or '\\' => $"'{ch}'",
        _ => null,
    };
}
