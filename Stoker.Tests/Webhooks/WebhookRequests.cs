using System.Net.Http.Headers;
using System.Text;
using Stoker.Silo.Webhooks;

namespace Stoker.Tests.Webhooks;

/// <summary>Builds webhook requests the way senders do.</summary>
public static class WebhookRequests
{
    public static HttpRequestMessage Post(string ns, string name, string json, string? hmacSecret = null, string? bearer = null, string? gitHubEvent = null, string? signature = null) =>
        Post(ns, name, Encoding.UTF8.GetBytes(json), hmacSecret, bearer, gitHubEvent, signature);

    public static HttpRequestMessage Post(string ns, string name, byte[] body, string? hmacSecret = null, string? bearer = null, string? gitHubEvent = null, string? signature = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhook/{ns}/{name}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (hmacSecret is not null)
        {
            request.Headers.TryAddWithoutValidation(WebhookSignature.HmacHeader, WebhookSignature.Sign(body, hmacSecret));
        }

        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(WebhookSignature.HmacHeader, signature);
        }

        if (bearer is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", bearer);
        }

        if (gitHubEvent is not null)
        {
            request.Headers.TryAddWithoutValidation("X-GitHub-Event", gitHubEvent);
        }

        return request;
    }

    /// <summary>
    /// GitHub's default delivery: <c>application/x-www-form-urlencoded</c> with the event JSON as the <c>payload</c>
    /// field, signed over the form body as sent.
    /// </summary>
    public static HttpRequestMessage PostForm(string ns, string name, string json, string? hmacSecret, string gitHubEvent)
    {
        var body = Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(json));
        var request = Post(ns, name, body, hmacSecret, gitHubEvent: gitHubEvent);
        request.Content!.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return request;
    }

    /// <summary>The <c>error</c> of a JSON error answer, after checking it is JSON and carries a <c>hint</c>.</summary>
    public static async Task<string> ErrorAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        Xunit.Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Xunit.Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("hint").GetString()), "an error names how to fix the sender");
        return body.RootElement.GetProperty("error").GetString()!;
    }

    public static string Push(string @ref, string after, string before = "0123456789abcdef0123456789abcdef01234567") =>
        "{\"ref\":\"" + @ref + "\",\"before\":\"" + before + "\",\"after\":\"" + after + "\",\"repository\":{\"full_name\":\"acme/gateways\"},\"pusher\":{\"name\":\"dev\"}}";

    public static Dictionary<string, string?> Settings(string? hmac = null, string? bearer = null, bool allowUnauthenticated = false, int permitLimit = 1000, string window = "00:00:10") => new()
    {
        ["Stoker:Webhook:HmacSecret"] = hmac,
        ["Stoker:Webhook:BearerToken"] = bearer,
        ["Stoker:Webhook:AllowUnauthenticated"] = allowUnauthenticated ? "true" : "false",
        ["Stoker:Webhook:RateLimit:PermitLimit"] = permitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Stoker:Webhook:RateLimit:Window"] = window,
    };
}
