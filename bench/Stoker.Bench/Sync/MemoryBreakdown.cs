using System.Globalization;
using System.Text;

namespace Stoker.Bench.Sync;

/// <summary>
/// A process's resident set by component, from /proc/&lt;pid&gt;/smaps: each mapping's Rss goes to the component its
/// path names (libgit2, the .NET runtime's native libraries, other native libraries, mapped managed assemblies, the
/// runtime's double-mapped executable memory for JIT-compiled code and stubs, git pack files), and anonymous mappings (the GC heap,
/// native heaps such as libgit2's and the runtime's, thread stacks) to one line.
/// </summary>
internal sealed record MemoryBreakdown(IReadOnlyDictionary<string, long> Kb)
{
    public const string Anonymous = "anonymous: GC heap, native heaps (libgit2, runtime, JIT), stacks";
    public const string Libgit2 = "libgit2 (native library)";
    public const string RuntimeNative = ".NET runtime native libraries (coreclr, clrjit, System.*.so)";
    public const string OtherNative = "other native libraries (libc, libssl, libstdc++, ICU, …)";
    public const string Assemblies = "managed assemblies (mapped .dll files)";
    public const string PackWindows = "git pack and index files (libgit2's mapped windows)";
    public const string DoubleMapped = "JIT-compiled code and stubs (W^X double mapping)";
    public const string Other = "other mappings";

    private static readonly string[] Order = [Anonymous, Libgit2, RuntimeNative, OtherNative, Assemblies, DoubleMapped, PackWindows, Other];

    public long TotalKb => Kb.Values.Sum();

    /// <summary>The breakdown of <paramref name="pid"/> now, or null when its smaps cannot be read (it exited).</summary>
    public static MemoryBreakdown? Of(int pid)
    {
        var kb = Order.ToDictionary(c => c, _ => 0L);
        var component = Other;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
            {
                if (IsMappingHeader(line))
                {
                    component = Classify(line);
                }
                else if (line.StartsWith("Rss:", StringComparison.Ordinal))
                {
                    kb[component] += long.Parse(line[4..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            return null;
        }

        return new MemoryBreakdown(kb);
    }

    /// <summary>A Markdown table of the components (MB) at each moment given, indented to sit inside a list item.</summary>
    public static string Table(IReadOnlyList<(string Moment, MemoryBreakdown Breakdown)> columns)
    {
        var md = new StringBuilder();
        md.Append("\n\n  | Component | ").AppendJoin(" | ", columns.Select(c => c.Moment)).Append(" |\n");
        md.Append("  |---|").AppendJoin("", columns.Select(_ => "---|")).Append('\n');
        foreach (var component in Order.Append("total (RSS)"))
        {
            md.Append("  | ").Append(component).Append(" | ")
                .AppendJoin(" | ", columns.Select(c => Mb(component == "total (RSS)" ? c.Breakdown.TotalKb : c.Breakdown.Kb[component])))
                .Append(" |\n");
        }

        return md.ToString().TrimEnd('\n');
    }

    private static string Mb(long kb) => (kb / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    // "7f12a000-7f12b000 r-xp 00000000 08:01 1234   /usr/lib/x86_64-linux-gnu/libgit2.so": address range, perms, offset, dev, inode, path.
    private static bool IsMappingHeader(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var dash = line.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && space > dash && line[..dash].All(char.IsAsciiHexDigit);
    }

    private static string Classify(string header)
    {
        var fields = header.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        var path = fields.Length >= 6 ? fields[5].Trim() : "";
        if (path.Length == 0 || path.StartsWith('[') || path.StartsWith("/memfd:", StringComparison.Ordinal) && !path.Contains("doublemapper", StringComparison.Ordinal))
        {
            return Anonymous;
        }

        if (path.Contains("doublemapper", StringComparison.Ordinal))
        {
            return DoubleMapped;
        }

        if (path.Contains("libgit2", StringComparison.Ordinal))
        {
            return Libgit2;
        }

        if (path.EndsWith(".pack", StringComparison.Ordinal) || path.EndsWith(".idx", StringComparison.Ordinal))
        {
            return PackWindows;
        }

        if (path.EndsWith(".dll", StringComparison.Ordinal))
        {
            return Assemblies;
        }

        if (path.Contains(".so", StringComparison.Ordinal))
        {
            return path.Contains("/Microsoft.NETCore.App/", StringComparison.Ordinal) || path.Contains("/Microsoft.AspNetCore.App/", StringComparison.Ordinal)
                ? RuntimeNative
                : OtherNative;
        }

        return Other;
    }
}
