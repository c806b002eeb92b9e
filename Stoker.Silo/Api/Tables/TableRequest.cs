using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Stoker.Silo.Api.Tables;

/// <summary>
/// Whether a read asked for a <c>meta.k8s.io</c> Table (Accept <c>application/json;as=Table;g=meta.k8s.io;v=v1</c>, or
/// v1beta1) and what its rows should carry. The first Accept entry the silo can serve wins, as in the API server.
/// </summary>
public sealed record TableRequest(string ApiVersion, TableIncludeObject Include)
{
    public const string Group = "meta.k8s.io";

    /// <summary>The Table asked for, or null for the plain object or list; an unknown <c>includeObject</c> is an error message.</summary>
    public static TableRequest? From(HttpRequest request, out string? error)
    {
        ArgumentNullException.ThrowIfNull(request);
        error = null;
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted))
        {
            return null;
        }

        foreach (var type in accepted.Where(a => a.Quality is not 0).OrderByDescending(a => a.Quality ?? 1))
        {
            var mediaType = type.MediaType.Value ?? "";
            var parameters = type.Parameters.ToDictionary(p => p.Name.Value ?? "", p => p.Value.Value ?? "", StringComparer.OrdinalIgnoreCase);
            var asKind = parameters.GetValueOrDefault("as");
            if (asKind is null)
            {
                if (mediaType is "*/*" or "application/*" || mediaType.EndsWith("/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("yaml", StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }

                continue;
            }

            if (asKind == "Table"
                && parameters.GetValueOrDefault("g") == Group
                && parameters.GetValueOrDefault("v") is "v1" or "v1beta1"
                && mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            {
                var include = request.Query["includeObject"].ToString() switch
                {
                    "" or "Metadata" => TableIncludeObject.Metadata,
                    "None" => TableIncludeObject.None,
                    "Object" => TableIncludeObject.Object,
                    var other => Invalid(other, out error),
                };
                return error is null ? new TableRequest($"{Group}/{parameters["v"]}", include) : null;
            }
        }

        return null;
    }

    private static TableIncludeObject Invalid(string value, out string error)
    {
        error = $"includeObject: Unsupported value: \"{value}\": supported values: \"None\", \"Metadata\", \"Object\"";
        return TableIncludeObject.Metadata;
    }
}
