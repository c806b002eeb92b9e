using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Stoker.Silo.Webhooks;

namespace Stoker.Tests.Webhooks;

/// <summary>Settings: bound from <c>Stoker:Webhook</c>, secrets also from the original's variables, refused with clear messages.</summary>
public sealed class WebhookReceiverOptionsTests
{
    [Fact]
    public void Options_Defaults_SecureOneMiBTenPerTenSeconds()
    {
        var options = Resolve(new Dictionary<string, string?>());

        Assert.False(options.AllowUnauthenticated);
        Assert.Null(options.HmacSecret);
        Assert.Null(options.BearerToken);
        Assert.Equal(1 << 20, options.MaxBodyBytes);
        Assert.Equal(10, options.RateLimit.PermitLimit);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RateLimit.Window);
    }

    [Fact]
    public void Options_EnvironmentVariables_UsedWhenTheSectionLeavesSecretsEmpty()
    {
        var fromEnvironment = Resolve(new Dictionary<string, string?> { ["WEBHOOK_HMAC_SECRET"] = "env-hmac", ["WEBHOOK_BEARER_TOKEN"] = "env-token" });
        var sectionWins = Resolve(new Dictionary<string, string?> { ["WEBHOOK_HMAC_SECRET"] = "env-hmac", ["Stoker:Webhook:HmacSecret"] = "section-hmac" });

        Assert.Equal("env-hmac", fromEnvironment.HmacSecret);
        Assert.Equal("env-token", fromEnvironment.BearerToken);
        Assert.Equal("section-hmac", sectionWins.HmacSecret);
    }

    [Fact]
    public void Options_BadValues_RefusedNamingSettingValueAndRule()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new Dictionary<string, string?>
        {
            ["Stoker:Webhook:RateLimit:PermitLimit"] = "0",
            ["Stoker:Webhook:RateLimit:Window"] = "00:00:00",
            ["Stoker:Webhook:MaxBodyBytes"] = "10",
            ["Stoker:Webhook:BearerToken"] = "token ",
        }));

        Assert.Contains("Stoker:Webhook:RateLimit:PermitLimit: 0: must be at least 1", error.Failures);
        Assert.Contains("Stoker:Webhook:RateLimit:Window: 00:00:00: must be between 00:00:00.1000000 and 01:00:00", error.Failures);
        Assert.Contains("Stoker:Webhook:MaxBodyBytes: 10: must be between 1024 and 26214400 (25 MiB)", error.Failures);
        Assert.Contains(error.Failures, f => f.StartsWith("Stoker:Webhook:BearerToken (or WEBHOOK_BEARER_TOKEN): must not start or end with whitespace", StringComparison.Ordinal));
        Assert.DoesNotContain("token ", string.Join("\n", error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_UnparsableWindow_ErrorNamesTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Resolve(new Dictionary<string, string?> { ["Stoker:Webhook:RateLimit:Window"] = "10 seconds" }));

        Assert.Contains("Stoker:Webhook:RateLimit:Window", error.Message, StringComparison.Ordinal);
    }

    private static WebhookReceiverOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddStokerWebhookReceiver(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<WebhookReceiverOptions>>().Value;
    }
}
