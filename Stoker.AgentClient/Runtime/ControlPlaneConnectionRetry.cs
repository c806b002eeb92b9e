namespace Stoker.AgentClient.Runtime;

/// <summary>
/// The Orleans client's connection retry filter: the control plane may start after the agent, so keep trying on
/// <see cref="AgentBackoff.ControlPlaneConnect"/>, saying why on stderr each time (docs/troubleshooting.md quotes the line).
/// </summary>
public sealed class ControlPlaneConnectionRetry(TimeProvider time) : IClientConnectionRetryFilter
{
    private int _attempts;

    /// <summary>Where the line goes; the process's stderr unless a test captures it.</summary>
    public TextWriter Output { get; init; } = Console.Error;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var attempt = Interlocked.Increment(ref _attempts);
        var delay = AgentBackoff.ControlPlaneConnect.Delay(attempt);
        await Output.WriteLineAsync($"stoker-agent: cannot reach the control plane yet (attempt {attempt}: {exception.GetType().Name}: {exception.Message}); retrying in {delay.TotalSeconds:0} s");
        try
        {
            await Task.Delay(delay, time, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
