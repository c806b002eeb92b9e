namespace Stoker.Tests.Infrastructure;

/// <summary>What one kubectl command did: its exit code and both outputs, with the command for failure messages.</summary>
public sealed record KubectlResult(int ExitCode, string Stdout, string Stderr, string Command)
{
    /// <summary>Throws with everything kubectl printed unless it exited 0; returns standard output.</summary>
    public string Ok() =>
        ExitCode == 0 ? Stdout : throw new Xunit.Sdk.XunitException($"kubectl {Command} exited {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
}
