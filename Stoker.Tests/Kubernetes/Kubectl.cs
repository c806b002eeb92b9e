using System.Diagnostics;
using Stoker.Tests.Demo;

namespace Stoker.Tests.Kubernetes;

/// <summary>
/// The kubectl on this machine (Debian's kubernetes-client package elsewhere), for what it does without a cluster:
/// <c>kubectl kustomize</c>.
/// </summary>
internal static class Kubectl
{
    public static string Path =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Join(dir, "kubectl"))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("kubectl is not on PATH: install Debian's kubernetes-client package (apt-get install kubernetes-client)");

    /// <summary>The output of <c>kubectl kustomize k8s/{folder}</c>; throws with kubectl's message when it fails.</summary>
    public static string Kustomize(string folder)
    {
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Checkout.Root };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add("k8s/" + folder);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl kustomize k8s/{folder} took over a minute");
        }

        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"kubectl kustomize k8s/{folder} exited with {process.ExitCode}: {error.Result}");
    }
}
