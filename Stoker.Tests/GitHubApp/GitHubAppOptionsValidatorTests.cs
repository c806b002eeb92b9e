using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Stoker.Grains;
using Stoker.Grains.Secrets.GitHubApp;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.GitHubApp;

/// <summary>Bad <c>Stoker:GitHubApp</c> settings stop the start with the setting, value and rule named.</summary>
public sealed class GitHubAppOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed() =>
        Assert.True(new GitHubAppOptionsValidator().Validate(null, new GitHubAppOptions()).Succeeded);

    [Fact]
    public void Validate_CaFileMissingOrNotPem_NamesSettingAndFile()
    {
        using var temp = new TempDirectory("github-app-options");
        var notPem = temp.Combine("ca.pem");
        File.WriteAllText(notPem, "not a certificate");

        var missing = new GitHubAppOptionsValidator().Validate(null, new GitHubAppOptions { CaFile = temp.Combine("absent.pem") });
        var empty = new GitHubAppOptionsValidator().Validate(null, new GitHubAppOptions { CaFile = notPem });

        Assert.Equal($"Stoker:GitHubApp:CaFile: \"{temp.Combine("absent.pem")}\": must be an existing PEM file of CA certificates", Assert.Single(missing.Failures!));
        Assert.Equal($"Stoker:GitHubApp:CaFile: \"{notPem}\": must contain at least one PEM CERTIFICATE block", Assert.Single(empty.Failures!));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    public void Validate_ExchangeTimeoutOutOfRange_Refused(int seconds)
    {
        var result = new GitHubAppOptionsValidator().Validate(null, new GitHubAppOptions { ExchangeTimeout = TimeSpan.FromSeconds(seconds) });

        Assert.StartsWith("Stoker:GitHubApp:ExchangeTimeout: ", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddStokerGrains_BadSettings_HostRefusesToStart()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddStokerGrains();
        builder.Services.Configure<GitHubAppOptions>(o => o.ExchangeTimeout = TimeSpan.FromMinutes(5));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Stoker:GitHubApp:ExchangeTimeout: 00:05:00: must be positive and at most 30 seconds", error.Message, StringComparison.Ordinal);
    }
}
