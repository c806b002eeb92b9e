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
}
