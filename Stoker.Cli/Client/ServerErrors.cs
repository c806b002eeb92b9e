using System.Text.Json;
using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Cli.Client;

/// <summary>Writes a refused request to stderr the way kubectl does, with a 422's causes one per line.</summary>
public static class ServerErrors
{
    /// <param name="where">Where the refused resource came from (file and document), or null.</param>
    public static void Write(TextWriter error, ApiAnswer answer, string? where = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(answer);
        WriteError(error, answer, where);
        if (answer.AuthHint is { } hint)
        {
            error.WriteLine(hint);
        }
    }

    private static void WriteError(TextWriter error, ApiAnswer answer, string? where)
    {
        var origin = where is null ? "" : $" ({where})";
        if (answer.Status is not { } status)
        {
            error.WriteLine($"error: the server answered {answer.StatusCode} {answer.ReasonPhrase} to {answer.Method} {answer.Path}{origin}");
            return;
        }

        var reason = Text(status["reason"]) ?? answer.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var message = Text(status["message"]) ?? answer.ReasonPhrase;
        var causes = (status["details"]?["causes"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        if (reason == "Invalid" && causes.Count > 0)
        {
            var name = Text(status["details"]?["name"]);
            var kind = Text(status["details"]?["kind"]) == "secrets" ? "Secret" : GatewaySync.KindValue;
            error.WriteLine($"The {kind} \"{name}\" is invalid{origin}:");
            foreach (var cause in causes)
            {
                error.WriteLine($"* {Text(cause["field"])}: {Text(cause["message"])}");
            }

            return;
        }

        error.WriteLine($"Error from server ({reason}){origin}: {message}");
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
