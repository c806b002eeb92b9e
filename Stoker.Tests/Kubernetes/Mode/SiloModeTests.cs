using Microsoft.Extensions.Configuration;
using Stoker.Silo.Kubernetes;

namespace Stoker.Tests.Kubernetes.Mode;

public sealed class SiloModeTests
{
    private static IConfiguration Config(string? mode) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [SiloModeResolver.ModeSetting] = mode }).Build();

    [Theory]
    [InlineData(null, null, false, SiloMode.Local)]
    [InlineData(null, "10.0.0.1", false, SiloMode.Local)]
    [InlineData(null, null, true, SiloMode.Local)]
    [InlineData(null, "10.0.0.1", true, SiloMode.Kubernetes)]
    [InlineData("Local", "10.0.0.1", true, SiloMode.Local)]
    [InlineData("kubernetes", null, false, SiloMode.Kubernetes)]
    public void The_mode_is_the_setting_or_else_Kubernetes_only_in_a_pod_with_a_token(string? setting, string? serviceHost, bool token, SiloMode expected)
    {
        var mode = SiloModeResolver.Resolve(Config(setting), v => v == SiloModeResolver.ServiceHostVariable ? serviceHost : null,
            f => token && f == SiloModeResolver.ServiceAccountTokenPath);
        Assert.Equal(expected, mode);
    }

    [Fact]
    public void An_unknown_mode_is_refused_naming_the_setting_and_value()
    {
        var e = Assert.Throws<InvalidOperationException>(() => SiloModeResolver.Resolve(Config("Cluster")));
        Assert.Contains("Stoker:Silo:Mode", e.Message, StringComparison.Ordinal);
        Assert.Contains("\"Cluster\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_settings_are_refused_with_setting_value_and_rule()
    {
        var options = new StokerKubernetesOptions { KubeconfigPath = "/nonexistent/kubeconfig", LeaseName = "Bad_Name", RenewDeadline = TimeSpan.FromSeconds(20), StatusWriteInterval = TimeSpan.Zero };
        options.Namespaces.Add("UPPER");
        var result = new StokerKubernetesOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        var failures = string.Join("\n", result.Failures);
        Assert.Contains("Stoker:Kubernetes:KubeconfigPath: \"/nonexistent/kubeconfig\": must be an existing file", failures, StringComparison.Ordinal);
        Assert.Contains("Stoker:Kubernetes:Namespaces:0: \"UPPER\"", failures, StringComparison.Ordinal);
        Assert.Contains("Stoker:Kubernetes:LeaseName: \"Bad_Name\"", failures, StringComparison.Ordinal);
        Assert.Contains("Stoker:Kubernetes:LeaseDuration", failures, StringComparison.Ordinal);
        Assert.Contains("Stoker:Kubernetes:StatusWriteInterval", failures, StringComparison.Ordinal);
        Assert.True(new StokerKubernetesOptionsValidator().Validate(null, new StokerKubernetesOptions()).Succeeded);
    }
}
