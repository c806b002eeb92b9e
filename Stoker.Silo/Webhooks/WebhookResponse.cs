using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Stoker.Silo.Webhooks;

/// <summary>
/// The original's wire format: errors as <c>&lt;text&gt;\n</c> in <c>text/plain; charset=utf-8</c> with
/// <c>nosniff</c>; answers as compact JSON with keys in alphabetical order and a trailing newline.
/// </summary>
public static class WebhookResponse
{
    // Relaxed escaping keeps quotes in messages readable (\" rather than \u0022); the answer is never embedded in
    // HTML, and nosniff stops a browser from guessing otherwise.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task TextAsync(HttpContext context, int statusCode, string text)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return context.Response.WriteAsync(text + "\n", context.RequestAborted);
    }

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
