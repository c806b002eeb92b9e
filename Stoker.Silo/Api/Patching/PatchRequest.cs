using Microsoft.AspNetCore.Http;

namespace Stoker.Silo.Api.Patching;

/// <summary>
/// What every PATCH reads before its resource's own rules, in the API server's order: the names in the URL (400), the
/// patch type among those the resource takes (415), the write options (<c>dryRun</c>, <c>fieldManager</c>, … 400) and
/// the body (413, 400). Shared by the GatewaySync and Secret routes.
/// </summary>
public sealed record PatchRequest(string Type, WriteOptions Options, string Text)
{
    public bool IsApply => Type == PatchMediaTypes.ApplyPatch;

    /// <returns>The request's parts, or the answer that refuses it.</returns>
    public static async Task<(PatchRequest? Request, IResult? Refusal)> ReadAsync(HttpRequest request, string ns, string name, IReadOnlyList<string> supported)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((GatewaySyncEndpoints.CheckUrlName("namespace", ns) ?? GatewaySyncEndpoints.CheckUrlName("name", name)) is { } bad)
        {
            return (null, bad);
        }

        var type = PatchMediaTypes.Of(request.ContentType);
        if (type is null || !supported.Contains(type))
        {
            return (null, ApiResponse.From(WriteStatuses.UnsupportedPatch(request.ContentType, supported)));
        }

        var (options, optionsError) = WriteOptions.Read(request, type == PatchMediaTypes.ApplyPatch);
        if (optionsError is not null)
        {
            return (null, ApiResponse.From(optionsError));
        }

        var (text, readError) = await ApiRequestBody.ReadTextAsync(request);
        return readError is not null ? (null, ApiResponse.From(readError)) : (new PatchRequest(type, options!, text!), null);
    }
}
