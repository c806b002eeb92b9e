using System.Net;
using System.Net.Http.Headers;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Api;

/// <summary>The Secrets routes carry their own access (ApiAccess.Secrets): a viewer token reads GatewaySyncs but not Secrets.</summary>
public sealed class SecretsAuthorizationTests : IAsyncLifetime
{
    private static readonly string AdminToken = ApiTokens.New();
    private static readonly string ViewerToken = ApiTokens.New();

    private readonly TempDirectory _temp = new("secrets-auth");
    private SiloProcess? _silo;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_temp.Combine("tokens"), $"""
            {ApiTokens.Line(AdminToken, "ops", "admin")}
            {ApiTokens.Line(ViewerToken, "grafana", "viewer")}
            """);
        Directory.CreateDirectory(_temp.Combine("secrets"));
        _silo = await SiloProcess.StartAsync(new SiloProcessSettings
        {
            Name = "secrets-auth",
            Environment = new Dictionary<string, string>
            {
                ["Stoker__Api__Authentication__TokensFile"] = _temp.Combine("tokens"),
                ["Stoker__Silo__SecretsPath"] = _temp.Combine("secrets"),
            },
        });
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        _temp.Dispose();
    }

    [Fact]
    public async Task ViewerToken_ReadsGatewaySyncsButNotSecrets_AdminReadsAndWritesSecrets()
    {
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(HttpMethod.Get, "/apis/stoker.io/v1alpha1/namespaces/a/gatewaysyncs", ViewerToken));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(HttpMethod.Get, "/api/v1/namespaces/a/secrets", ViewerToken));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(HttpMethod.Get, "/api/v1/namespaces/a/secrets/s", ViewerToken));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(HttpMethod.Post, "/api/v1/namespaces/a/secrets", ViewerToken, "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"));
        Assert.Equal(HttpStatusCode.Created, await StatusAsync(HttpMethod.Post, "/api/v1/namespaces/a/secrets", AdminToken, "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(HttpMethod.Get, "/api/v1/namespaces/a/secrets/s", AdminToken));
    }

    private async Task<HttpStatusCode> StatusAsync(HttpMethod method, string path, string token, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = new StringContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/yaml");
        }

        using var response = await _silo!.Http.SendAsync(request);
        return response.StatusCode;
    }
}
