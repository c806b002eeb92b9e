using System.Text;

namespace Stoker.Bench.Sync;

/// <summary>
/// A Prometheus text exposition, read into <c>series → value</c> (the series as exposed, labels included, less the
/// identity labels every agent series carries: <c>namespace</c>, <c>gatewaysync</c>, <c>gateway</c>; docs/monitoring.md).
/// </summary>
internal sealed partial class MetricsSnapshot(IReadOnlyDictionary<string, double> values)
{
    public double this[string series] => values.TryGetValue(series, out var v) ? v : 0;

    public static MetricsSnapshot Parse(string text)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var at = line.LastIndexOf(' ');
            if (at > 0 && double.TryParse(line[(at + 1)..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                values[IdentityLabel().Replace(line[..at], "").Replace("{,", "{", StringComparison.Ordinal).Replace("{}", "", StringComparison.Ordinal)] = value;
            }
        }

        return new MetricsSnapshot(values);
    }

    public static string Describe(IEnumerable<(string Name, double Seconds)> parts) =>
        new StringBuilder().AppendJoin(", ", parts.Select(p => FormattableString.Invariant($"{p.Name} {p.Seconds * 1000:0} ms"))).ToString();

    [System.Text.RegularExpressions.GeneratedRegex("""
        ,?\b(?:namespace|gatewaysync|gateway)="(?:[^"\\]|\\.)*"
        """, System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex IdentityLabel();
}
