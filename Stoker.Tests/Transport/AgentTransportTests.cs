using Stoker.Grains.Interfaces.Messages;
using Stoker.Tests.AgentRuntime;
using Stoker.Tests.ControlPlane;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Transport;

/// <summary>
/// Issue 14, point 1 (docs/security.md, "Transport (TLS)"): real <c>stoker-agent run</c> processes against a silo that
/// speaks TLS on its gateway port. With the silo's CA an agent syncs; with another CA it cannot connect and says why;
/// with no CA and no explicit <c>SILO_ALLOW_INSECURE</c> it refuses to start; a plain-TCP client gets nowhere.
/// </summary>
public sealed class AgentTransportTests
{
    [Fact]
    public async Task Agent_WithTheSilosCa_Syncs_WithAnotherCa_CannotConnectAndLogsWhy()
    {
        await using var bed = await AgentTestBed.StartAsync();
        await bed.ApplyAsync();

        var trusted = bed.StartAgent("gw-1");
        var wrong = bed.StartAgent("gw-2", new Dictionary<string, string> { ["SILO_CA_FILE"] = OtherCa.Write(bed.Temp.Combine("other")) });

        await bed.WaitForReportAsync("gw-1", bed.Repo.Head(), SyncStatus.Synced, trusted, seconds: 60);
        var log = await Eventually.Until(() => Task.FromResult(wrong.Output), o => o.Contains("The silo's TLS certificate was refused", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), "the agent with another CA to say why it cannot connect");
        Assert.Contains("does not chain to the trusted CA (\"CN=Stoker local CA (elsewhere), O=Stoker\")", log, StringComparison.Ordinal);
        Assert.Contains("SILO_CA_FILE (or SILO_CA) must hold the CA that issued it", log, StringComparison.Ordinal);
        Assert.Equal(503, (await wrong.GetAsync(wrong.HealthPort, "/readyz")).Status);
        Assert.Null((await bed.Host.Gateway(AgentTestBed.Namespace, AgentTestBed.CrName, "gw-2").GetSnapshot()).Agent);
    }

    [Fact]
    public async Task Agent_WithoutCaAndWithoutAllowInsecure_RefusesToStartNamingBoth()
    {
        await using var bed = await AgentTestBed.StartAsync();

        var agent = bed.StartAgent("gw-1", new Dictionary<string, string> { ["SILO_CA_FILE"] = "" });

        Assert.Equal(2, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("SILO_CA_FILE (--silo-ca-file) or SILO_CA: required: the CA that issued the silo's certificate", agent.Output, StringComparison.Ordinal);
        Assert.Contains("set SILO_ALLOW_INSECURE=true instead", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_CaFileThatIsNoCertificate_RefusesToStartNamingTheFile()
    {
        await using var bed = await AgentTestBed.StartAsync();
        var notPem = bed.Temp.Combine("not-a-ca.crt");
        await File.WriteAllTextAsync(notPem, "hello");

        var agent = bed.StartAgent("gw-1", new Dictionary<string, string> { ["SILO_CA_FILE"] = notPem });

        Assert.Equal(2, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains($"SILO_CA_FILE (--silo-ca-file): \"{notPem}\": holds no \"-----BEGIN CERTIFICATE-----\" block", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainTcpClient_AgainstTheTlsGateway_CannotConnect()
    {
        await using var host = await ControlPlaneHost.StartAsync();

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var plain = await AgentClientHost.StartAsync(host.Options.GatewayPort, host.Options.ClusterId).WaitAsync(TimeSpan.FromSeconds(60));
        });

        // The same port takes a client that trusts the silo's CA.
        await using var trusted = await AgentClientHost.StartAsync(host.Options.GatewayPort, host.Options.ClusterId, caFile: host.CaFile);
    }
}
