using Stoker.Cli.Output;
using Stoker.Grains.Git;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Serialization;

namespace Stoker.Tests.Security;

/// <summary>One test per credential leak found by the audit of issue 16 (docs/security.md, "Where credentials go").</summary>
public sealed class LeakRegressionTests
{
    private const string Password = "hunter2-leak-regression";
    private const string Url = $"https://alice:{Password}@git.example.com/plant/site.git";

    [Fact]
    public void Describe_RepoAndAnnotationsWithUserInfo_ShownRedacted()
    {
        var parsed = GatewaySyncSerializer.Parse($$$$"""
            apiVersion: stoker.io/v1alpha1
            kind: GatewaySync
            metadata:
              name: site
              namespace: plant
              annotations:
                kubectl.kubernetes.io/last-applied-configuration: '{"spec":{"git":{"repo":"{{{{Url}}}}"}}}'
            spec:
              git: {repo: "{{{{Url}}}}", ref: main}
              gateway: {api: {secretName: key}}
              sync: {profiles: {a: {mappings: [{source: a, destination: a}]}}}
            """);
        Assert.True(parsed.IsValid, parsed.Describe());
        using var output = new StringWriter();

        GatewaySyncDescriber.Write(output, parsed.Resource!, TimeProvider.System.GetUtcNow());

        var text = output.ToString();
        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", text, StringComparison.Ordinal);
        Assert.Contains("https://***@git.example.com/plant/site.git", text, StringComparison.Ordinal);
        Assert.Contains("kubectl.kubernetes.io/last-applied-configuration={\"spec\":{\"git\":{\"repo\":\"https://***@git.example.com", text, StringComparison.Ordinal);
    }

    [Fact]
    public void GitFetchCredentials_ToString_HidesRepoUserInfoPasswordAndKey()
    {
        var credentials = new GitFetchCredentials { RepoUrl = Url, AuthType = GitFetchCredentials.TokenType, Password = "tok-" + Password, SshPrivateKey = "key-" + Password };

        var text = credentials.ToString();

        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        Assert.Contains("RepoUrl = https://***@git.example.com/plant/site.git", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Release_ToString_HidesRepoUserInfo()
    {
        var text = new Release { RepoUrl = Url, Ref = "main", Commit = new string('a', 40) }.ToString();

        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        Assert.Contains("RepoUrl = https://***@git.example.com/plant/site.git", text, StringComparison.Ordinal);
    }

    [Fact]
    public void DesiredState_ToString_HidesRepoUserInfo()
    {
        var text = new DesiredState { RepoUrl = Url, Ref = "main", Commit = new string('a', 40) }.ToString();

        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        Assert.Contains("RepoUrl = https://***@git.example.com/plant/site.git", text, StringComparison.Ordinal);
    }

    [Fact]
    public void UrlRedactor_ForwardsToTheSharedRules()
    {
        Assert.Equal("https://***@h/x and ssh://git@h/y", UrlRedactor.Redact("https://u:p@h/x and ssh://git@h/y"));
        Assert.Equal(UrlRedactor.Mask, Stoker.Grains.Interfaces.Git.UrlUserInfo.Mask);
    }
}
