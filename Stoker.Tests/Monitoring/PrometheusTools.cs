namespace Stoker.Tests.Monitoring;

/// <summary>
/// Debian's <c>prometheus</c> package: <c>scripts/install-deps.sh</c> unpacks it (no maintainer scripts, so no service is
/// started) into <c>STOKER_TOOLS</c> (default <c>~/.cache/stoker-tools</c>)<c>/prometheus</c>; a <c>prometheus</c> or
/// <c>promtool</c> on PATH is used when that folder is absent.
/// </summary>
internal static class PrometheusTools
{
    public static string Prometheus => Find("prometheus");

    public static string Promtool => Find("promtool");

    private static string Find(string name)
    {
        var tools = Environment.GetEnvironmentVariable("STOKER_TOOLS") is { Length: > 0 } root
            ? root
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "stoker-tools");
        var unpacked = Path.Combine(tools, "prometheus", "usr", "bin", name);
        if (File.Exists(unpacked))
        {
            return unpacked;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Join(dir, name))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"{name} not found in {unpacked} nor on PATH: run scripts/install-deps.sh (it unpacks Debian's prometheus package)");
    }
}
