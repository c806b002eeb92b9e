using System.Net;
using System.Text.Json.Nodes;
using Stoker.Tests.Resources;
using static Stoker.Tests.Resources.HostileInputs;

namespace Stoker.Tests.Api;

/// <summary>
/// Issue 11, defects 2, 3 and 7 over real HTTP (apply API hosted as the silo hosts it, against a real silo): nesting
/// just past the limit used to be a 500 with an empty body, an infinite number a 500; each is a 4xx Status naming the
/// limit or the field, value and rule. Depths stay small enough for the test host's stack; 20,000 levels and the full
/// alias bomb go to a real silo process in <see cref="HostileInputProcessTests"/>.
/// </summary>
public sealed class ApplyApiLimitsTests(ApplyApiFixture fixture) : IClassFixture<ApplyApiFixture>
{
    private ApplyApiHost Api => fixture.Api;

    [Theory]
    [InlineData("json", 64, "application/json")]
    [InlineData("json", 1000, "application/json")]
    [InlineData("json", 64, "application/yaml")]
    [InlineData("flow", 64, "application/yaml")]
    [InlineData("block", 200, "application/yaml")]
    [InlineData("indented", 65, "application/yaml")]
    public async Task Post_NestedBeyond64Levels_400NamingTheLimit(string style, int levels, string contentType)
    {
        using var response = await Api.SendAsync(HttpMethod.Post, ApplyApiHost.CollectionPath("hostile"), ResourceLimitsTests.Deep(style, levels), contentType);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        var message = (string?)JsonNode.Parse(body)!["message"];
        Assert.StartsWith("the request body is not valid YAML or JSON: ", message, StringComparison.Ordinal);
        Assert.Contains("nested deeper than 64 levels", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("json", 63)]
    [InlineData("indented", 64)]
    public async Task Post_Nested64Levels_422WithTheSchemaViolation(string style, int levels)
    {
        using var response = await Api.SendAsync(HttpMethod.Post, ApplyApiHost.CollectionPath("hostile"), ResourceLimitsTests.Deep(style, levels));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("Failure", (string?)JsonNode.Parse(body)!["status"]);
    }

    [Theory]
    [InlineData("application/yaml")]
    [InlineData("application/json")]
    public async Task Put_AliasBomb_400NamingTheBudget(string contentType)
    {
        // JSON has no aliases, but the body is read as YAML whatever its Content-Type says.
        using var response = await Api.SendAsync(HttpMethod.Put, ApplyApiHost.ItemPath("hostile", "bomb"), AliasBomb(levels: 6), contentType);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Contains("more than 100000 values", (string?)JsonNode.Parse(body)!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_StringLongerThan256KiB_400NamingTheLimit()
    {
        var text = WithPort("8043", "long", "hostile") + "\n  comment: " + new string('x', 300 * 1024) + "\n";

        using var response = await Api.SendAsync(HttpMethod.Put, ApplyApiHost.ItemPath("hostile", "long"), text);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Contains("a string of 307200 characters is longer than 262144 (the limit for a resource)", (string?)JsonNode.Parse(body)!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ManyEmptyDocuments_400NamingTheLimit()
    {
        using var response = await Api.SendAsync(HttpMethod.Post, ApplyApiHost.CollectionPath("hostile"), string.Concat(Enumerable.Repeat("---\n", 5000)));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Contains("more than 1000 documents", (string?)JsonNode.Parse(body)!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_InvalidUtf8_400SayingSo()
    {
        var bytes = (byte[])[.. System.Text.Encoding.UTF8.GetBytes(WithPort("8043", "latin", "hostile")), .. "\n# caf"u8.ToArray(), 0xE9, (byte)'\n'];
        using var request = new HttpRequestMessage(HttpMethod.Put, ApplyApiHost.ItemPath("hostile", "latin")) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/yaml");

        using var response = await Api.Http.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.StartsWith("the request body is not UTF-8 text: ", (string?)JsonNode.Parse(body)!["message"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1e400", "yaml")]
    [InlineData("-1e400", "yaml")]
    [InlineData("99999999999999999999", "yaml")]
    [InlineData("1e400", "json")]
    [InlineData("-1e400", "json")]
    [InlineData("99999999999999999999", "json")]
    public async Task Put_PortNoIntegerHolds_422NamingFieldValueAndRule(string port, string format)
    {
        var text = format == "json" ? WithPortJson(port, "numbers", "hostile") : WithPort(port, "numbers", "hostile");

        using var response = await Api.SendAsync(HttpMethod.Put, ApplyApiHost.ItemPath("hostile", "numbers"), text, format == "json" ? "application/json" : "application/yaml");

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{(int)response.StatusCode}: {body}");
        var cause = Assert.Single(JsonNode.Parse(body)!["details"]!["causes"]!.AsArray())!;
        Assert.Equal("spec.gateway.port", (string?)cause["field"]);
        Assert.Equal($"Invalid value: {port}: must fit in a 32-bit integer", (string?)cause["message"]);
    }
}
