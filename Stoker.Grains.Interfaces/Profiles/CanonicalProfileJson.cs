using System.Globalization;
using System.Text;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.Interfaces.Profiles;

/// <summary>
/// The canonical text of resolved profiles (docs/architecture.md): compact JSON, members in a fixed order, empty
/// optional members omitted, map keys in ordinal order, strings escaped as Go's <c>encoding/json</c> does.
/// Two resolutions of the same input give the same bytes, so the text can be compared or hashed to decide
/// whether a gateway needs a re-sync. Hand-written because System.Text.Json's encoders escape differently
/// (upper-case hex, non-ASCII) and cannot be told Go's rules.
/// </summary>
public static class CanonicalProfileJson
{
    /// <summary>Go sorts map keys by their UTF-8 bytes, i.e. by code point; UTF-16 ordinal order differs above U+FFFF.</summary>
    private static readonly Comparer<string> Utf8Order = Comparer<string>.Create(CompareCodePoints);

    public static string Write(IReadOnlyDictionary<string, ResolvedProfile> profiles)
    {
        var builder = new StringBuilder();
        builder.Append('{');
        var first = true;
        foreach (var (name, profile) in profiles.OrderBy(p => p.Key, Utf8Order))
        {
            Separator(builder, ref first);
            WriteString(builder, name);
            builder.Append(':');
            WriteProfile(builder, profile);
        }

        return builder.Append('}').ToString();
    }

    public static string Write(ResolvedProfile profile)
    {
        var builder = new StringBuilder();
        WriteProfile(builder, profile);
        return builder.ToString();
    }

    private static void WriteProfile(StringBuilder builder, ResolvedProfile profile)
    {
        builder.Append("{\"mappings\":[");
        var first = true;
        foreach (var mapping in profile.Mappings)
        {
            Separator(builder, ref first);
            WriteMapping(builder, mapping);
        }

        builder.Append(']');
        if (profile.ExcludePatterns.Count > 0)
        {
            builder.Append(",\"excludePatterns\":");
            WriteStrings(builder, profile.ExcludePatterns);
        }

        if (profile.Vars.Count > 0)
        {
            builder.Append(",\"vars\":");
            WriteMap(builder, profile.Vars);
        }

        builder.Append(",\"syncPeriod\":").Append(profile.SyncPeriod.ToString(CultureInfo.InvariantCulture));
        builder.Append(",\"dryRun\":").Append(profile.DryRun ? "true" : "false");
        builder.Append(",\"designerSessionPolicy\":");
        WriteString(builder, profile.DesignerSessionPolicy);
        builder.Append(",\"paused\":").Append(profile.Paused ? "true" : "false").Append('}');
    }

    private static void WriteMapping(StringBuilder builder, Mapping mapping)
    {
        builder.Append("{\"source\":");
        WriteString(builder, mapping.Source);
        builder.Append(",\"destination\":");
        WriteString(builder, mapping.Destination);
        if (!string.IsNullOrEmpty(mapping.Type))
        {
            builder.Append(",\"type\":");
            WriteString(builder, mapping.Type);
        }

        if (mapping.Required == true)
        {
            builder.Append(",\"required\":true");
        }

        if (mapping.Template == true)
        {
            builder.Append(",\"template\":true");
        }

        if (mapping.Patches is { Count: > 0 } patches)
        {
            builder.Append(",\"patches\":[");
            var first = true;
            foreach (var patch in patches)
            {
                Separator(builder, ref first);
                builder.Append('{');
                if (!string.IsNullOrEmpty(patch.File))
                {
                    builder.Append("\"file\":");
                    WriteString(builder, patch.File);
                    builder.Append(',');
                }

                builder.Append("\"set\":");
                WriteMap(builder, patch.Set);
                builder.Append('}');
            }

            builder.Append(']');
        }

        builder.Append('}');
    }

    private static void WriteStrings(StringBuilder builder, IEnumerable<string> values)
    {
        builder.Append('[');
        var first = true;
        foreach (var value in values)
        {
            Separator(builder, ref first);
            WriteString(builder, value);
        }

        builder.Append(']');
    }

    private static void WriteMap(StringBuilder builder, IReadOnlyDictionary<string, string> map)
    {
        builder.Append('{');
        var first = true;
        foreach (var (key, value) in map.OrderBy(p => p.Key, Utf8Order))
        {
            Separator(builder, ref first);
            WriteString(builder, key);
            builder.Append(':');
            WriteString(builder, value);
        }

        builder.Append('}');
    }

    private static void Separator(StringBuilder builder, ref bool first)
    {
        if (!first)
        {
            builder.Append(',');
        }

        first = false;
    }

    private static int CompareCodePoints(string? a, string? b)
    {
        var x = (a ?? "").EnumerateRunes();
        var y = (b ?? "").EnumerateRunes();
        while (true)
        {
            var (hasX, hasY) = (x.MoveNext(), y.MoveNext());
            if (!hasX || !hasY)
            {
                return hasX.CompareTo(hasY);
            }

            var order = x.Current.Value.CompareTo(y.Current.Value);
            if (order != 0)
            {
                return order;
            }
        }
    }

    /// <summary>Go <c>encoding/json</c> string escaping, including its HTML-safe and line-separator rules.</summary>
    internal static void WriteString(StringBuilder builder, string value)
    {
        builder.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                case < ' ':
                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        builder.Append(c).Append(value[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        builder.Append("\\ufffd");
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }
}
