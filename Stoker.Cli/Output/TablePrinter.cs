namespace Stoker.Cli.Output;

/// <summary>Left-aligned columns three spaces apart, upper-case headers, no trailing blanks: kubectl's table layout.</summary>
public static class TablePrinter
{
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, string indent = "")
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(headers);
        var all = new List<IReadOnlyList<string>> { headers.Select(h => h.ToUpperInvariant()).ToList() };
        all.AddRange(rows);
        var widths = Enumerable.Range(0, headers.Count).Select(i => all.Max(r => i < r.Count ? r[i].Length : 0)).ToList();
        foreach (var row in all)
        {
            var cells = Enumerable.Range(0, headers.Count).Select(i => (i < row.Count ? row[i] : "").PadRight(i == headers.Count - 1 ? 0 : widths[i] + 3));
            output.WriteLine(indent + string.Concat(cells).TrimEnd());
        }
    }
}
