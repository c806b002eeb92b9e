using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Stoker.Silo.Admission;

/// <summary>
/// Reads an AdmissionReview (bounded in size and depth), hands its request to a webhook and writes the review
/// back. A body that is not an AdmissionReview at all gets a plain HTTP error (400, 413, 415): the API server then
/// applies the registration's <c>failurePolicy</c>. A review whose object is wrong is answered inside the review.
/// </summary>
public sealed partial class AdmissionEndpoint(PodAdmissionHandler pods, IOptions<AdmissionOptions> options, ILogger<AdmissionEndpoint> logger)
{
    public const string MutatePodPath = "/mutate-v1-pod";
    public const string ValidateGatewaySyncPath = "/validate-stoker-io-v1alpha1-gatewaysync";

    public Task HandlePodAsync(HttpContext context) => HandleAsync(context, pods.HandleAsync);

    public Task HandleGatewaySyncAsync(HttpContext context) => HandleAsync(context, r => Task.FromResult(GatewaySyncAdmissionHandler.Handle(r)));

    private async Task HandleAsync(HttpContext context, Func<AdmissionRequest, Task<AdmissionResponse>> handle)
    {
        var (request, problem, code) = await ReadAsync(context);
        if (request is null)
        {
            LogRefused(logger, context.Request.Path, code, problem);
            context.Response.StatusCode = code;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(problem + "\n", context.RequestAborted);
            return;
        }

        var response = await handle(request);
        var review = AdmissionReview.Answer(response);
        context.Response.StatusCode = StatusCodes.Status200OK;
        await context.Response.WriteAsJsonAsync(review, AdmissionJson.Options, context.RequestAborted);
    }

    private async Task<(AdmissionRequest? Request, string Problem, int Code)> ReadAsync(HttpContext context)
    {
        var http = context.Request;
        if (!HttpMethods.IsPost(http.Method))
        {
            context.Response.Headers.Allow = "POST";
            return (null, $"method {http.Method} not allowed: send the AdmissionReview with POST", StatusCodes.Status405MethodNotAllowed);
        }

        if (http.ContentType is not { } contentType || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, $"content type \"{Webhooks.UntrustedText.Sanitize(http.ContentType)}\" not supported: an AdmissionReview is application/json", StatusCodes.Status415UnsupportedMediaType);
        }

        var limit = options.Value.MaxRequestBodyBytes;
        if (http.ContentLength > limit)
        {
            return (null, TooLarge(limit), StatusCodes.Status413PayloadTooLarge);
        }

        // This route bounds its body itself (below), above the server's default for other routes.
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = null;
        }

        // Read at most limit + 1 bytes whatever the body claims, so a chunked body cannot grow past the bound.
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return (null, TooLarge(limit), StatusCodes.Status413PayloadTooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        AdmissionReview? review;
        try
        {
            review = JsonSerializer.Deserialize<AdmissionReview>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), AdmissionJson.Options);
        }
        catch (JsonException e)
        {
            return (null, $"the body is not an AdmissionReview: {e.Message}", StatusCodes.Status400BadRequest);
        }

        if (review is null || review.ApiVersion != AdmissionReview.ApiVersionValue || review.Kind != AdmissionReview.KindValue)
        {
            return (null, $"the body is not an AdmissionReview: apiVersion must be \"{AdmissionReview.ApiVersionValue}\" and kind \"{AdmissionReview.KindValue}\"", StatusCodes.Status400BadRequest);
        }

        if (review.Request is not { Uid: { Length: > 0 } } request)
        {
            return (null, "the body is not an AdmissionReview request: request.uid is required", StatusCodes.Status400BadRequest);
        }

        return (request, "", StatusCodes.Status200OK);
    }

    private static string TooLarge(int limit) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"the AdmissionReview is larger than {limit} bytes ({AdmissionOptions.SectionName}:{nameof(AdmissionOptions.MaxRequestBodyBytes)})");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admission webhook {Path}: refused a request with HTTP {Code}: {Problem}")]
    private static partial void LogRefused(ILogger logger, PathString path, int code, string problem);
}
