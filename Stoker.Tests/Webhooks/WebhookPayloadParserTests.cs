using System.Text;
using Stoker.Silo.Webhooks;

namespace Stoker.Tests.Webhooks;

/// <summary>Payload detection details beyond section E: value types, duplicates, push events.</summary>
public sealed class WebhookPayloadParserTests
{
    [Theory]
    [InlineData("""{"release":{"tag_name":""},"ref":"g"}""", "g", "generic")]
    [InlineData("""{"release":{"tag_name":5},"app":{"metadata":{"annotations":{"git.ref":"a"}}}}""", "a", "argocd")]
    [InlineData("""{"app":{"metadata":{"annotations":{"git":{"ref":"nested"}}}},"freight":{"commits":[{"tag":"k"}]}}""", "k", "kargo")]
    [InlineData("""{"freight":{"commits":[{"id":"x"},{"tag":"second"}]},"ref":"g"}""", "g", "generic")]
    [InlineData("""{"ref":"first","ref":"last"}""", "last", "generic")]
    public void Parse_ProbesInOrderSkippingNonStringsAndEmpties(string json, string expectedRef, string expectedSource) =>
        Assert.Equal(new WebhookPayload(expectedRef, expectedSource), WebhookPayloadParser.Parse(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("""["ref"]""")]
    [InlineData("\"ref\"")]
    [InlineData("""{"ref":null}""")]
    [InlineData("""{"ref":""}""")]
    [InlineData("""{"ref":"v1",}""")]
    [InlineData("")]
    public void Parse_NotAnObjectOrNoUsableRef_Null(string json) =>
        Assert.Null(WebhookPayloadParser.Parse(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("""{"ref":"\ud800"}""")]
    [InlineData("""{"ref":"a\udfff"}""")]
    [InlineData("""{"release":{"tag_name":"\ud800x"}}""")]
    [InlineData("""{"r\ud800":"x","ref":"\udc00"}""")]
    public void Parse_HalfASurrogatePairEscaped_NullNotAThrow(string json)
    {
        // Found by the fuzz test: System.Text.Json threw InvalidOperationException reading such a string (a 500).
        Assert.Null(WebhookPayloadParser.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Null(WebhookPayloadParser.ParsePush(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void ParsePush_RefAfterAndDeletion()
    {
        var push = WebhookPayloadParser.ParsePush("""{"ref":"refs/heads/main","after":"abc"}"""u8.ToArray());
        var deleted = WebhookPayloadParser.ParsePush("""{"ref":"refs/heads/main","after":"0000000000000000000000000000000000000000"}"""u8.ToArray());

        Assert.Equal(new GitHubPush("refs/heads/main", "abc", false), push);
        Assert.True(deleted!.Deleted);
        Assert.Null(WebhookPayloadParser.ParsePush("""{"after":"abc"}"""u8.ToArray()));
    }

    [Theory]
    [InlineData("refs/heads/main", "main", true)]
    [InlineData("refs/heads/main", "refs/heads/main", true)]
    [InlineData("refs/tags/v1", "v1", true)]
    [InlineData("refs/heads/feature", "main", false)]
    [InlineData("refs/heads/main-2", "main", false)]
    [InlineData("refs/heads/main", "", false)]
    public void GitHubPush_Updates_FullOrShortSpecRef(string pushed, string specRef, bool expected) =>
        Assert.Equal(expected, new GitHubPush(pushed, "abc", false).Updates(specRef));
}
