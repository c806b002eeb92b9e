using Microsoft.AspNetCore.Server.Kestrel.Core;
using Stoker.Silo.Http;

namespace Stoker.Tests.Hosting;

/// <summary>The silo's HTTP limits: safe defaults reach Kestrel, and settings that switch a bound off are refused naming it.</summary>
public sealed class HttpLimitsOptionsTests
{
    [Fact]
    public void Defaults_AreValidAndReachKestrel()
    {
        var options = new HttpLimitsOptions();
        var limits = new KestrelServerOptions().Limits;

        Assert.True(new HttpLimitsOptionsValidator().Validate(null, options).Succeeded);
        HttpLimitsExtensions.Apply(limits, options);

        Assert.Equal(1 << 20, limits.MaxRequestBodySize);
        Assert.Equal(1000, limits.MaxConcurrentConnections);
        Assert.Equal(100, limits.MaxConcurrentUpgradedConnections);
        Assert.Equal(TimeSpan.FromSeconds(10), limits.RequestHeadersTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), limits.KeepAliveTimeout);
        Assert.Equal(240, limits.MinRequestBodyDataRate!.BytesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(5), limits.MinRequestBodyDataRate.GracePeriod);
        Assert.Equal(100, limits.MaxRequestHeaderCount);
        Assert.Equal(32 * 1024, limits.MaxRequestHeadersTotalSize);
        Assert.Equal(8 * 1024, limits.MaxRequestLineSize);
    }

    [Theory]
    [InlineData(nameof(HttpLimitsOptions.MaxRequestBodyBytes), "Stoker:Http:MaxRequestBodyBytes: 1099511627776: must be between 0 and 67108864")]
    [InlineData(nameof(HttpLimitsOptions.MaxConcurrentConnections), "Stoker:Http:MaxConcurrentConnections: 0: must be between 1 and 1000000")]
    [InlineData(nameof(HttpLimitsOptions.RequestHeadersTimeout), "Stoker:Http:RequestHeadersTimeout: 00:00:00: must be more than 0 and at most 00:05:00")]
    [InlineData(nameof(HttpLimitsOptions.MinRequestBodyDataRate), "Stoker:Http:MinRequestBodyDataRate: 0: must be between 1 and 1000000000 bytes per second")]
    [InlineData(nameof(HttpLimitsOptions.MaxRequestHeaderCount), "Stoker:Http:MaxRequestHeaderCount: 0: must be between 1 and 1000")]
    public void Invalid_RefusedNamingSettingValueAndRule(string setting, string expected)
    {
        var options = new HttpLimitsOptions();
        switch (setting)
        {
            case nameof(HttpLimitsOptions.MaxRequestBodyBytes): options.MaxRequestBodyBytes = 1L << 40; break;
            case nameof(HttpLimitsOptions.MaxConcurrentConnections): options.MaxConcurrentConnections = 0; break;
            case nameof(HttpLimitsOptions.RequestHeadersTimeout): options.RequestHeadersTimeout = TimeSpan.Zero; break;
            case nameof(HttpLimitsOptions.MinRequestBodyDataRate): options.MinRequestBodyDataRate = 0; break;
            case nameof(HttpLimitsOptions.MaxRequestHeaderCount): options.MaxRequestHeaderCount = 0; break;
        }

        var result = new HttpLimitsOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith(expected, StringComparison.Ordinal));
    }
}
