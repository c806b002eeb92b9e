using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Stoker.Grains.Interfaces.Serialization;

namespace Stoker.Silo.Api;

/// <summary>An answer of the apply API: a JSON tree written as JSON, or as YAML when the client asked for it.</summary>
public sealed class ApiResponse(int statusCode, JsonNode body) : IResult
{
    private static readonly JsonSerializerOptions StatusJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public int StatusCode { get; } = statusCode;

    public JsonNode Body { get; } = body;

    public static ApiResponse From(ApiStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new(status.Code, JsonSerializer.SerializeToNode(status, StatusJson)!);
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        string text;
        if (ApiMediaTypes.WantsYaml(httpContext.Request))
        {
            response.ContentType = ApiMediaTypes.Yaml;
            text = YamlJson.Write(Body);
        }
        else
        {
            response.ContentType = ApiMediaTypes.Json;
            // Compact like the API server; ?pretty=true indents, as it does there.
            var pretty = httpContext.Request.Query.TryGetValue("pretty", out var p) && p.ToString() is "" or "true" or "1";
            text = Body.ToJsonString(pretty ? ResourceJson.Indented : ResourceJson.Options) + "\n";
        }

        await response.WriteAsync(text, httpContext.RequestAborted);
    }
}
