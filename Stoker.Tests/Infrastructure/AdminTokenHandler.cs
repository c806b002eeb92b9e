using System.Net.Http.Headers;
using Stoker.Grains.Interfaces.Security;

namespace Stoker.Tests.Infrastructure;

/// <summary>
/// Sends a silo's admin token (the file it writes in its state folder on a loopback-only bind) with every request
/// that carries no Authorization of its own, read once the silo has written it, as <c>stoker</c> does.
/// </summary>
public sealed class AdminTokenHandler(Func<string> stateFolder) : DelegatingHandler(new HttpClientHandler())
{
    private string? _token;

    /// <summary>The token, or null while the silo has not written it yet.</summary>
    public string? Token => _token ??= ReadToken();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Webhooks carry their own credentials (a signature, or a bearer token of their own): nothing is added there.
        var webhook = request.RequestUri is { } uri && (uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString).StartsWith("/webhook/", StringComparison.OrdinalIgnoreCase);
        if (request.Headers.Authorization is null && !webhook && Token is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return base.SendAsync(request, cancellationToken);
    }

    private string? ReadToken()
    {
        var file = StokerStateFolder.AdminTokenFile(stateFolder());
        try
        {
            return File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } text ? text : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
