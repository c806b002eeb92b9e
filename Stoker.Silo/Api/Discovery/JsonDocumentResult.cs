using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Stoker.Grains.Interfaces.Serialization;

namespace Stoker.Silo.Api.Discovery;

/// <summary>
/// A document serialized once at start and written as it is to every caller: discovery and OpenAPI documents never
/// change while the silo runs, and kubectl asks for them on every command.
/// </summary>
public sealed class JsonDocumentResult(byte[] body, string contentType) : IResult
{
    public JsonDocumentResult(JsonNode document)
        : this(Encoding.UTF8.GetBytes(document.ToJsonString(ResourceJson.Options) + "\n"), ApiMediaTypes.Json)
    {
    }

    public byte[] Body { get; } = body;

    public string ContentType { get; } = contentType;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = ContentType;
        httpContext.Response.ContentLength = Body.Length;
        await httpContext.Response.Body.WriteAsync(Body, httpContext.RequestAborted);
    }
}
