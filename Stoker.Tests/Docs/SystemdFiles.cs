using System.Text;
using System.Text.RegularExpressions;

namespace Stoker.Tests.Docs;

/// <summary>
/// A systemd unit file (<c>[Section]</c>, <c>Key=Value</c>, <c>#</c>/<c>;</c> comments, <c>\</c> continuations) and an
/// <c>EnvironmentFile</c>, read as systemd reads them for the settings the tests check.
/// </summary>
internal static partial class SystemdFiles
{
    /// <summary>Every directive of the unit, in order, as (section, key, value).</summary>
    public static IReadOnlyList<(string Section, string Key, string Value)> ReadUnit(string path)
    {
        var directives = new List<(string, string, string)>();
        var section = "";
        var pending = new StringBuilder();
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (pending.Length == 0 && (line.Length == 0 || line.StartsWith('#') || line.StartsWith(';')))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending.Append(line[..^1]).Append(' ');
                continue;
            }

            line = pending.Append(line).ToString();
            pending.Clear();
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line[1..^1];
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new Xunit.Sdk.XunitException($"{path}: \"{line}\" is not Key=Value");
            }

            directives.Add((section, line[..equals].Trim(), line[(equals + 1)..].Trim()));
        }

        return directives;
    }

    /// <summary>The assignments of <c>Environment=</c> values: space-separated, each optionally double-quoted.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> EnvironmentAssignments(string value) =>
        [.. Words(value).Select(word => word.Split('=', 2) is [var key, var v]
            ? KeyValuePair.Create(key, v)
            : throw new Xunit.Sdk.XunitException($"Environment= \"{value}\": \"{word}\" is not NAME=value"))];

    /// <summary>A command line split as systemd splits <c>ExecStart=</c> (whitespace, double quotes).</summary>
    public static IReadOnlyList<string> Words(string value)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in value)
        {
            if (c == '"')
            {
                quoted = !quoted;
                any = true;
            }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (any)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    any = false;
                }
            }
            else
            {
                word.Append(c);
                any = true;
            }
        }

        if (any)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    /// <summary>
    /// An environment file: its assignments (<c>NAME=value</c>, quotes removed) and the assignments shown commented
    /// out as optional (<c># NAME=value</c>).
    /// </summary>
    public static (IReadOnlyList<KeyValuePair<string, string>> Set, IReadOnlyList<KeyValuePair<string, string>> Suggested) ReadEnvironmentFile(string path)
    {
        var set = new List<KeyValuePair<string, string>>();
        var suggested = new List<KeyValuePair<string, string>>();
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#') || line.StartsWith(';'))
            {
                if (SuggestedAssignment().Match(line) is { Success: true } match)
                {
                    suggested.Add(KeyValuePair.Create(match.Groups["key"].Value, Unquote(match.Groups["value"].Value.Trim())));
                }

                continue;
            }

            if (Assignment().Match(line) is not { Success: true } assignment)
            {
                throw new Xunit.Sdk.XunitException($"{path}: \"{line}\" is not NAME=value");
            }

            set.Add(KeyValuePair.Create(assignment.Groups["key"].Value, Unquote(assignment.Groups["value"].Value.Trim())));
        }

        return (set, suggested);
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;

    [GeneratedRegex(@"^(?<key>[A-Za-z_][A-Za-z0-9_]*)=(?<value>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Assignment();

    [GeneratedRegex(@"^[#;]\s*(?<key>[A-Z_][A-Z0-9_]*)=(?<value>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex SuggestedAssignment();
}
