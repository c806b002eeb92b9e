using System.Net;
using System.Text.Json.Nodes;

namespace Stoker.Tests.Api;

/// <summary>A silo without Stoker:Silo:SecretsPath answers every Secrets route with a Status saying so.</summary>
public sealed class SecretsNotConfiguredTests(ApplyApiFixture fixture) : IClassFixture<ApplyApiFixture>
{
    [Fact]
    public async Task NoSecretsFolder_503NamingTheSetting()
    {
        using var response = await fixture.Api.SendAsync(HttpMethod.Post, "/api/v1/namespaces/x/secrets", "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains("Stoker:Silo:SecretsPath", (string?)status["message"], StringComparison.Ordinal);
    }
}
