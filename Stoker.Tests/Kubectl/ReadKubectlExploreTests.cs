using Stoker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Stoker.Tests.Kubectl;

public sealed class ReadKubectlExploreTests(ReadKubectlFixture fixture, ITestOutputHelper output) : IClassFixture<ReadKubectlFixture>
{
    [Fact]
    public async Task Explore()
    {
        foreach (var binary in KubectlClient.Binaries())
        {
            using var kubectl = fixture.Kubectl(binary);
            output.WriteLine(File.ReadAllText(kubectl.KubeconfigPath));
            foreach (var args in new[]
            {
                new[] { "api-resources", "-v=8" }, ["get", "gs"], ["get", "gs", "-o", "wide"], ["get", "gs", "-A"], ["get", "gs", "one", "-o", "yaml"],
                ["get", "gs", "-l", "tier in (web,db),env!=prod"], ["explain", "gatewaysync.spec.git"], ["explain", "gatewaysync", "--recursive"], ["version"],
            })
            {
                var r = await kubectl.RunAsync(args);
                output.WriteLine($"=== {binary} {string.Join(' ', args)} -> {r.ExitCode}\n{r.Stdout}\n--- stderr\n{r.Stderr[..Math.Min(3000, r.Stderr.Length)]}");
            }
        }
    }
}
