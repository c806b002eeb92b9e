using Stoker.Tests.Infrastructure;
using static Stoker.Tests.Resources.HostileInputs;

namespace Stoker.Tests.AgentCli;

/// <summary>
/// Issue 11, defects 2, 3 and 7 at <c>stoker-agent sync --resource</c>, a real process: a resource nested 20,000
/// levels deep used to abort it with exit 134 (stack overflow); every hostile resource is refused with exit 2 and a
/// line naming the limit, or the field, value and rule.
/// </summary>
public sealed class HostileResourceTests : IDisposable
{
    private readonly TempDirectory _temp = new("agent-hostile");

    public static TheoryData<string, string> Cases => new()
    {
        { "deep-json", "nested deeper than 64 levels" },
        { "deep-flow", "nested deeper than 64 levels" },
        { "deep-block", "nested deeper than 64 levels" },
        { "bomb", "more than 100000 values" },
        { "port-yaml", "spec.gateway.port: 1e400: must fit in a 32-bit integer" },
        { "port-json", "spec.gateway.port: 1e400: must fit in a 32-bit integer" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Sync_HostileResource_Exit2NamingTheLimit(string what, string expected)
    {
        var text = what switch
        {
            "deep-json" => DeepJson(),
            "deep-flow" => DeepYamlFlow(),
            "deep-block" => DeepYamlBlock(),
            "bomb" => AliasBomb(),
            "port-yaml" => WithPort("1e400"),
            _ => WithPortJson("1e400"),
        };
        var resource = _temp.Combine(what + ".yaml");
        await File.WriteAllTextAsync(resource, text);

        var run = await AgentProcess.RunAsync("sync", "--resource", resource, "--data", _temp.Combine("data"), "--work", _temp.Combine("work"));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"error: invalid resource {resource}:", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("data")), "nothing was synced");
    }

    public void Dispose() => _temp.Dispose();
}
