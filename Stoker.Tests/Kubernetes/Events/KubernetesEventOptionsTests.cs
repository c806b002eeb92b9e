using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Stoker.Silo.Kubernetes.Events;

namespace Stoker.Tests.Kubernetes.Events;

/// <summary>Event settings are bound from <c>Stoker:Kubernetes:Events</c> and bad ones refused naming setting, value and rule.</summary>
public sealed class KubernetesEventOptionsTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        Assert.True(new KubernetesEventOptionsValidator().Validate(null, new KubernetesEventOptions()).Succeeded);
    }

    [Theory]
    [InlineData("QueueCapacity", "0", "Stoker:Kubernetes:Events:QueueCapacity: 0: must be between 1 and 1000000")]
    [InlineData("CacheSize", "-5", "Stoker:Kubernetes:Events:CacheSize: -5: must be between 1 and 1000000")]
    [InlineData("MaxMessageBytes", "10", "Stoker:Kubernetes:Events:MaxMessageBytes: 10: must be between 64 and 1048576")]
    [InlineData("AggregationWindow", "00:00:00", "Stoker:Kubernetes:Events:AggregationWindow: 00:00:00: must be positive")]
    [InlineData("MinWriteInterval", "-00:00:01", "Stoker:Kubernetes:Events:MinWriteInterval: -00:00:01: must not be negative")]
    [InlineData("MaxBackoff", "00:00:00.100", "Stoker:Kubernetes:Events:MaxBackoff: 00:00:00.1000000: must not be shorter than MinBackoff (00:00:00.2000000)")]
    public void A_bad_setting_is_refused_with_its_name_value_and_rule(string setting, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [$"{KubernetesEventOptions.SectionName}:{setting}"] = value }).Build();
        using var services = new ServiceCollection()
            .AddSingleton<IValidateOptions<KubernetesEventOptions>, KubernetesEventOptionsValidator>()
            .Configure<KubernetesEventOptions>(configuration.GetSection(KubernetesEventOptions.SectionName))
            .BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<KubernetesEventOptions>>().Value);
        Assert.Contains(expected, error.Failures);
    }
}
