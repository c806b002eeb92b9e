using System.Reflection;

namespace Stoker.AgentClient.Cli;

/// <summary>The top-level help of <c>stoker-agent</c>, listing its commands.</summary>
public static class Usage
{
    public static int Print(TextWriter writer, int exitCode)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine("Usage: stoker-agent <command> [options]");
        writer.WriteLine();
        writer.WriteLine("Commands:");
        writer.WriteLine("  sync    Sync a gateway data directory from Git once and print the report as JSON");
        writer.WriteLine();
        writer.WriteLine("Run 'stoker-agent <command> --help' for a command's options.");
        return exitCode;
    }

    public static int Version(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(typeof(Usage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");
        return ExitCodes.Success;
    }
}
