using Stoker.Silo.Kubernetes.Identity;

namespace Stoker.Tests.Kubernetes.Identity;

/// <summary>Bad agent-identity settings stop the silo, naming the setting, the value and the rule.</summary>
public sealed class AgentIdentityOptionsTests
{
    [Fact]
    public void Validate_Defaults_Pass() => Assert.True(new AgentIdentityOptionsValidator().Validate(null, new AgentIdentityOptions()).Succeeded);

    [Fact]
    public void Validate_BadValues_NameEachSettingValueAndRule()
    {
        var result = new AgentIdentityOptionsValidator().Validate(null, new AgentIdentityOptions
        {
            Audience = "sto ker",
            ReviewTimeout = TimeSpan.FromSeconds(30),
            CacheDuration = TimeSpan.FromHours(2),
            CacheSize = -1,
        });

        Assert.Equal(
        [
            "Stoker:Kubernetes:AgentIdentity:Audience: \"sto ker\": must be a non-empty audience without whitespace, at most 253 characters",
            "Stoker:Kubernetes:AgentIdentity:ReviewTimeout: 00:00:30: must be between 00:00:00.100 and 00:00:20 (it holds a grain turn; agents' calls time out at 30 s)",
            "Stoker:Kubernetes:AgentIdentity:CacheDuration: 02:00:00: must be between 00:00:00 and 01:00:00",
            "Stoker:Kubernetes:AgentIdentity:CacheSize: -1: must be between 0 and 1000000",
        ], result.Failures);
    }
}
