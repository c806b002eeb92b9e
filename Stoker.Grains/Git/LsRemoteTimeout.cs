namespace Stoker.Grains.Git;

/// <summary>
/// How long a reconcile waits for a remote's reference advertisement (and the credentials it needs) before it
/// records a ref-resolution failure, and the message it records. One value: the resolver and the grain that
/// cancels it must not disagree on it.
/// </summary>
public static class LsRemoteTimeout
{
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    public static string Message(string shownUrl) => $"ls-remote {shownUrl}: timed out after {Duration.TotalSeconds:0}s";
}
