namespace Stoker.Tests.Security;

/// <summary>
/// One way credentials travel, for <see cref="CredentialLeakTests"/>: <see cref="Run"/> registers the distinctive
/// secrets it uses with <see cref="LeakContext.Scanner"/>, sets up servers, Secrets, the resource and agents in the
/// context, and waits until the outcome it stages (success or a failure) is visible. The harness then collects every
/// surface and requires zero hits.
/// </summary>
/// <param name="NeedsGitHub">The silo is started trusting a <see cref="Infrastructure.FakeGitHubApi"/> (<see cref="LeakContext.GitHub"/>).</param>
public sealed record LeakScenario(string Name, Func<LeakContext, Task> Run, bool NeedsGitHub = false)
{
    public override string ToString() => Name;
}
