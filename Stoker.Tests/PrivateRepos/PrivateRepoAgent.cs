using Stoker.IgnitionSimulator;
using Stoker.Tests.AgentRuntime;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.PrivateRepos;

/// <summary>An agent process and the simulated gateway beside it; both stopped on dispose.</summary>
public sealed class PrivateRepoAgent(AgentProcessHost agent, GatewaySimulator simulator) : IAsyncDisposable
{
    public AgentProcessHost Process => agent;

    public string Output => agent.Output;

    public Task WaitForFileAsync(string relativePath, Func<string> diagnostics) =>
        Eventually.Until(() => Task.FromResult(File.Exists(Path.Join(agent.DataPath, relativePath))), b => b,
            TimeSpan.FromSeconds(90), $"{relativePath} in {agent.DataPath}\n{diagnostics()}");

    public Task WaitForOutputAsync(string part, Func<string> diagnostics) =>
        Eventually.Until(() => Task.FromResult(agent.Output), o => o.Contains(part, StringComparison.Ordinal),
            TimeSpan.FromSeconds(90), $"\"{part}\" in the agent's log\n{diagnostics()}");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await agent.DisposeAsync();
        }
        finally
        {
            await simulator.DisposeAsync();
        }
    }
}
