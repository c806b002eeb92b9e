using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Stoker.Silo.Api;

/// <summary>Reads a request body as text, refusing unknown media types and bodies over the limit.</summary>
public static class ApiRequestBody
{
    /// <summary>The API server's own limit for one object.</summary>
    public const int MaxBytes = 3 * 1024 * 1024;

    /// <summary>The body text, or the Status to refuse the request with.</summary>
    public static async Task<(string? Text, ApiStatus? Error)> ReadAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!ApiMediaTypes.IsReadable(request.ContentType))
        {
            return (null, ApiStatuses.UnsupportedMediaType(request.ContentType));
        }

        return await ReadTextAsync(request);
    }

    /// <summary>
    /// The body text whatever its media type (a PATCH's type names the patch format, checked by its route), within
    /// the same bounds.
    /// </summary>
    public static async Task<(string? Text, ApiStatus? Error)> ReadTextAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > MaxBytes)
        {
            return (null, ApiStatuses.TooLarge(MaxBytes));
        }

        // This route's own limit, above the server's default for routes without a body (Stoker:Http:MaxRequestBodyBytes).
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = MaxBytes;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                {
                    return (null, ApiStatuses.TooLarge(MaxBytes));
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // A chunked body crossed the limit inside one read: Kestrel noticed before the loop could.
            return (null, ApiStatuses.TooLarge(MaxBytes));
        }

        try
        {
            return (new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length), null);
        }
        catch (DecoderFallbackException e)
        {
            return (null, ApiStatuses.BadRequest($"the request body is not UTF-8 text: {e.Message}"));
        }
    }
}
