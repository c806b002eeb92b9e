using System.Text.Json;

namespace Stoker.Tests.AgentCli;

/// <summary>How a <c>stoker-agent</c> process ended.</summary>
internal sealed record AgentRun(int ExitCode, string Stdout, string Stderr)
{
    public JsonElement Report => JsonDocument.Parse(Stdout).RootElement;

    public override string ToString() => $"{AgentProcess.AgentDll}: exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
