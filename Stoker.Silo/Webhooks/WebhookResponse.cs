using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Stoker.Silo.Webhooks;

/// <summary>
/// The receiver's wire format: every answer, errors included, as compact JSON (<c>application/json</c>, <c>nosniff</c>)
/// with keys in alphabetical order and a trailing newline. The original answered errors in <c>text/plain</c>; a
/// JSON error that names the fix is what a hook's delivery log can show usefully (docs/webhooks.md).
/// </summary>
public static class WebhookResponse
{
    // Relaxed escaping keeps quotes in messages readable (\" rather than \u0022); the answer is never embedded in
    // HTML, and nosniff stops a browser from guessing otherwise.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// An error as JSON: <c>error</c> says what was wrong (the original's words, kept for scripts that match them),
    /// <c>hint</c> how to fix the sender or the hook's settings.
    /// </summary>
    public static Task ErrorAsync(HttpContext context, int statusCode, string error, string hint) =>
        JsonAsync(context, statusCode, ("error", error), ("hint", hint));

    public static Task JsonAsync(HttpContext context, int statusCode, params (string Key, object? Value)[] fields)
    {
        ArgumentNullException.ThrowIfNull(context);
        var body = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in fields)
        {
            if (value is not null)
            {
                body[key] = value;
            }
        }

        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json) + "\n", context.RequestAborted);
    }
}
