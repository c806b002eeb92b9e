using Microsoft.Extensions.Hosting;

namespace Stoker.IgnitionSimulator;

/// <summary>
/// A host lifetime that ignores process signals: a simulator hosted inside a test run must not take over
/// SIGTERM/Ctrl+C from the test host. It stops when disposed.
/// </summary>
internal sealed class InProcessLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
