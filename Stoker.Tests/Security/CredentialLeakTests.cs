using System.Diagnostics;
using System.Text.Json.Nodes;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Security;

/// <summary>
/// Issue 16's leak test: each <see cref="LeakScenarios"/> entry runs against real processes with distinctive secrets,
/// then every log line of the silo and agents, every status document (JSON, YAML, <c>stoker get</c> and
/// <c>describe</c>), the events, <c>/metrics</c> of silo and agents, the audit log and the command lines and
/// environments of every process the test started (sampled while they ran) are searched: zero hits.
/// </summary>
public sealed class CredentialLeakTests
{
    public static TheoryData<string> Scenarios => [.. LeakScenarios.All.Keys];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Scenario_DistinctiveSecrets_FoundNowhere(string scenario)
    {
        await using var context = await LeakContext.StartAsync(scenario, LeakScenarios.All[scenario].NeedsGitHub);
        await LeakScenarios.All[scenario].Run(context);
        await context.CollectAsync();

        // What was read, so that a clean result is never an empty one.
        var audit = File.ReadAllLines(context.AuditLog);
        Assert.Contains(audit, l => JsonNode.Parse(l)!["objectRef"]?["resource"]?.GetValue<string>() == "gatewaysyncs");
        Assert.Contains(context.Scanner.CommandsSampled, c => c == "dotnet");
        Assert.True(context.Scanner.Characters > 10_000, $"only {context.Scanner.Characters} characters collected from {string.Join(", ", context.Scanner.Sources)}");
        context.Scanner.AssertNoLeaks();
    }

    [Fact]
    public async Task LeakScanner_PlantedSecrets_FoundInOutputCommandLineEnvironmentAndEncodings()
    {
        var secret = LeakScenarios.Distinctive("planted");
        await using var scanner = new LeakScanner().Secret("planted", secret, "x-access-token");
        var start = new ProcessStartInfo("sleep") { ArgumentList = { "30" }, UseShellExecute = false };
        start.Environment["PLANTED"] = secret;
        using var child = Process.Start(start)!;
        var withArgument = new ProcessStartInfo("sh") { ArgumentList = { "-c", "sleep 30", secret }, UseShellExecute = false };
        using var second = Process.Start(withArgument)!;
        try
        {
            scanner.SampleOnce(Environment.ProcessId);
            scanner.Add("a log", "Authorization: Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("x-access-token:" + secret)));
            scanner.Add("a Secret's data", "token: " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(secret)));
            scanner.Add("clean", "nothing to see");

            var hits = scanner.Hits();
            Assert.Contains(hits, h => h.StartsWith("planted in /proc/", StringComparison.Ordinal) && h.Contains("(sleep)", StringComparison.Ordinal));
            Assert.Contains(hits, h => h.StartsWith("planted in /proc/", StringComparison.Ordinal) && h.Contains("(sh)", StringComparison.Ordinal));
            Assert.Contains(hits, h => h.StartsWith("planted (basic auth as x-access-token) in a log", StringComparison.Ordinal));
            Assert.Contains(hits, h => h.StartsWith("planted (base64) in a Secret's data", StringComparison.Ordinal));
            Assert.DoesNotContain(hits, h => h.Contains(" in clean", StringComparison.Ordinal));
            Assert.All(hits, h => Assert.DoesNotContain(secret, h, StringComparison.Ordinal));
            Assert.Throws<Xunit.Sdk.TrueException>(scanner.AssertNoLeaks);
        }
        finally
        {
            child.Kill();
            second.Kill();
            await child.WaitForExitAsync();
            await second.WaitForExitAsync();
        }
    }
}
