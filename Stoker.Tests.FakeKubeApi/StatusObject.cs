using System.Text.Json.Nodes;

namespace Stoker.Tests.FakeKubeApi;

/// <summary>Builds <c>meta/v1 Status</c> objects, the body of every error response and of ERROR watch events.</summary>
public static class StatusObject
{
    public static JsonObject Failure(int code, string reason, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    };

    public static JsonObject From(KubeApiException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Failure(error.Code, error.Reason, error.Message);
    }
}
