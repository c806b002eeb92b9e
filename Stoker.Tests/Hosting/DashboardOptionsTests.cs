using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Stoker.Silo.Dashboard;

namespace Stoker.Tests.Hosting;

public sealed class DashboardOptionsTests
{
    [Fact]
    public void CounterUpdateInterval_DefaultsToFiveSeconds_FromConfigurationWhenGiven()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), Build([]).CounterUpdateInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), Build([new("Stoker:Dashboard:CounterUpdateInterval", "00:00:02")]).CounterUpdateInterval);
    }

    [Fact]
    public void CounterUpdateInterval_UnderOneSecond_IsRefusedNamingTheSettingTheValueAndTheRule()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Build([new("Stoker:Dashboard:CounterUpdateInterval", "00:00:00.500")]));
        Assert.Equal("Stoker:Dashboard:CounterUpdateInterval: 00:00:00.5000000: must be at least 1 second (00:00:01)", e.Message);
    }

    [Fact]
    public void CounterUpdateInterval_IsNotCheckedWhileTheDashboardIsOff()
    {
        var options = Build([new("Stoker:Dashboard:Enabled", "false"), new("Stoker:Dashboard:CounterUpdateInterval", "00:00:00.500")]);
        Assert.False(options.Enabled);
    }

    private static DashboardOptions Build(KeyValuePair<string, string?>[] settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        return builder.AddStokerDashboard();
    }
}
