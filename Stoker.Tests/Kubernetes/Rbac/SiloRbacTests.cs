using Stoker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Stoker.Tests.Kubernetes.Rbac;

/// <summary>
/// The silo's RBAC is exactly what its code calls: silos started from the manifests run every scenario of
/// <see cref="RbacScenarios"/> against the fake API server, and each request they sent is checked against the rules
/// <c>kubectl kustomize k8s/overlays/eval</c> grants their service account, and each grant against the requests.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SiloRbacTests(PostgresServer postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task SilosFromTheManifests_SendOnlyRequestsTheirRbacAllows_AndUseEveryGrant()
    {
        var manifests = ManifestSet.ControlPlane();
        var account = manifests.Workload("StatefulSet", ManifestSet.SystemNamespace, "stoker-silo").PodSpec["serviceAccountName"]!.GetValue<string>();
        var rules = RbacRule.Granted(manifests, ManifestSet.SystemNamespace, account);
        Assert.NotEmpty(rules);

        await using var bed = await ManifestSiloBed.StartAsync(postgres);
        var problems = new List<string>();
        foreach (var (name, run) in RbacScenarios.All)
        {
            var before = bed.SiloRequests.Count;
            await run(bed);
            var report = RbacCheck.Run(bed.SiloRequests.Skip(before).Select(RbacRequest.From), rules, []);
            problems.AddRange(report.Denied.Select(d => $"{name}: denied: {d}"));
            output.WriteLine($"{name}: {report.Requests} requests from the silos");
        }

        // The fake records a request when it ends: end the open watches so that they are counted too.
        var watchesBefore = bed.SiloRequests.Count(r => r.Verb == "watch");
        var open = bed.Api.DropWatches();
        await Eventually.Until(() => Task.FromResult(bed.SiloRequests.Count(r => r.Verb == "watch")), n => n >= watchesBefore + open, TimeSpan.FromSeconds(30), "the dropped watches recorded");
        var all = RbacCheck.Run(bed.SiloRequests.Select(RbacRequest.From), rules, RbacScenarios.Allowances);
        Assert.True(problems.Count == 0 && all.Exact, string.Join("\n", problems) + "\n" + all);

        // The check itself: a request outside the rules is caught, and so is a grant nobody uses.
        var stray = new RbacRequest("list", "", "configmaps", "ignition", null, "a stray request");
        Assert.Contains(stray.ToString(), RbacCheck.Run([stray], rules, []).Denied);
        Assert.NotEmpty(RbacCheck.Run([], rules, []).Unused);
    }
}
