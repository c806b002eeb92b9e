using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stoker.IgnitionSimulator;

/// <summary>
/// The body of <c>POST /_sim/control</c>: a JSON object whose present keys change the behaviour (absent keys leave it
/// as it is). Every key is checked before anything changes, so a bad request changes nothing.
/// </summary>
internal static class ControlRequest
{
    private static readonly string[] Keys =
    [
        "reset", "clearCalls", "failScans", "delayMs", "designerSessions", "starting", "startingForMs", "listProjects", "forbidToken",
    ];

    /// <summary>Parses <paramref name="body"/> into the changes to apply, or the problems found (each naming the key, value and rule).</summary>
    public static (List<Action<SimulatorControl>> Changes, List<string> Errors) Parse(string body)
    {
        var changes = new List<Action<SimulatorControl>>();
        var errors = new List<string>();
        JsonObject? request;
        try
        {
            request = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException e)
        {
            errors.Add($"body: not JSON: {e.Message}");
            return (changes, errors);
        }

        if (request is null)
        {
            errors.Add("body: must be a JSON object");
            return (changes, errors);
        }

        foreach (var key in request.Select(p => p.Key).Where(k => !Keys.Contains(k, StringComparer.Ordinal)))
        {
            errors.Add($"{key}: unknown setting (known: {string.Join(", ", Keys)})");
        }

        // Order matters: reset and clearCalls first, so one request can start from a clean slate.
        if (Bool(request, "reset", errors) == true)
        {
            changes.Add(c => c.Reset());
        }

        if (Bool(request, "clearCalls", errors) == true)
        {
            changes.Add(c => c.ClearCalls());
        }

        if (request.TryGetPropertyValue("failScans", out var failScans))
        {
            ParseFailScans(failScans, changes, errors);
        }

        if (Int(request, "delayMs", 0, errors) is { } delayMs)
        {
            changes.Add(c => c.SetDelay(TimeSpan.FromMilliseconds(delayMs)));
        }

        if (request.TryGetPropertyValue("designerSessions", out var designers))
        {
            ParseDesigners(designers, changes, errors);
        }

        if (Bool(request, "starting", errors) is { } starting)
        {
            changes.Add(starting ? c => c.SetStarting() : c => c.SetRunning());
        }

        if (Int(request, "startingForMs", 1, errors) is { } startingForMs)
        {
            changes.Add(c => c.SetStarting(TimeSpan.FromMilliseconds(startingForMs)));
        }

        if (Bool(request, "listProjects", errors) is { } listProjects)
        {
            changes.Add(c => c.SetListProjects(listProjects));
        }

        if (Bool(request, "forbidToken", errors) is { } forbidToken)
        {
            changes.Add(c => c.SetForbidToken(forbidToken));
        }

        return (changes, errors);
    }

    private static void ParseFailScans(JsonNode? node, List<Action<SimulatorControl>> changes, List<string> errors)
    {
        if (node is null)
        {
            changes.Add(c => c.StopFailingScans());
            return;
        }

        if (node is not JsonObject failure)
        {
            errors.Add($"failScans: {node.ToJsonString()}: must be null or an object {{\"status\": 500, \"count\": 3, \"target\": \"projects\"}}");
            return;
        }

        var status = Int(failure, "status", 100, errors, "failScans.");
        if (status is > 599)
        {
            errors.Add($"failScans.status: {status}: must be an HTTP status code (100-599)");
        }
        else if (status is null && !errors.Exists(e => e.StartsWith("failScans.status", StringComparison.Ordinal)))
        {
            errors.Add("failScans.status: required");
        }

        var count = Int(failure, "count", 1, errors, "failScans.");
        var target = ScanTarget.Both;
        if (failure.TryGetPropertyValue("target", out var targetNode))
        {
            var text = targetNode?.GetValueKind() == JsonValueKind.String ? targetNode.GetValue<string>() : null;
            if (!Enum.TryParse(text, ignoreCase: true, out target) || int.TryParse(text, out _))
            {
                errors.Add($"failScans.target: {targetNode?.ToJsonString() ?? "null"}: must be \"projects\", \"config\" or \"both\"");
            }
        }

        foreach (var key in failure.Select(p => p.Key).Where(k => k is not ("status" or "count" or "target")))
        {
            errors.Add($"failScans.{key}: unknown setting (known: status, count, target)");
        }

        if (status is { } code and <= 599)
        {
            changes.Add(c => c.FailScans(code, count, target));
        }
    }

    private static void ParseDesigners(JsonNode? node, List<Action<SimulatorControl>> changes, List<string> errors)
    {
        if (node?.GetValueKind() == JsonValueKind.Number)
        {
            if (node.AsValue().TryGetValue<int>(out var count) && count >= 0)
            {
                changes.Add(c => c.SetDesignerSessions(count));
            }
            else
            {
                errors.Add($"designerSessions: {node.ToJsonString()}: must be a count >= 0 or a list of {{\"user\", \"project\"}}");
            }

            return;
        }

        if (node is not JsonArray array)
        {
            errors.Add($"designerSessions: {node?.ToJsonString() ?? "null"}: must be a count >= 0 or a list of {{\"user\", \"project\"}}");
            return;
        }

        var sessions = new List<SimulatedDesignerSession>();
        for (var i = 0; i < array.Count; i++)
        {
            var prefix = $"designerSessions[{i}]";
            if (array[i] is not JsonObject item)
            {
                errors.Add($"{prefix}: must be an object {{\"user\", \"project\"}}");
                continue;
            }

            var user = Text(item, "user", prefix, required: true, errors);
            var project = Text(item, "project", prefix, required: true, errors);
            var address = Text(item, "address", prefix, required: false, errors);
            var timezone = Text(item, "timezone", prefix, required: false, errors);
            if (user is not null && project is not null)
            {
                var session = new SimulatedDesignerSession(user, project);
                session = address is null ? session : session with { Address = address };
                session = timezone is null ? session : session with { Timezone = timezone };
                sessions.Add(session);
            }
        }

        changes.Add(c => c.SetDesignerSessions(sessions));
    }

    private static string? Text(JsonObject item, string key, string prefix, bool required, List<string> errors)
    {
        if (!item.TryGetPropertyValue(key, out var node))
        {
            if (required)
            {
                errors.Add($"{prefix}.{key}: required");
            }

            return null;
        }

        if (node?.GetValueKind() == JsonValueKind.String && node.GetValue<string>() is { Length: > 0 } text)
        {
            return text;
        }

        errors.Add($"{prefix}.{key}: {node?.ToJsonString() ?? "null"}: must be a non-empty string");
        return null;
    }

    private static bool? Bool(JsonObject request, string key, List<string> errors)
    {
        if (!request.TryGetPropertyValue(key, out var node))
        {
            return null;
        }

        var kind = node?.GetValueKind();
        if (kind is JsonValueKind.True or JsonValueKind.False)
        {
            return kind == JsonValueKind.True;
        }

        errors.Add($"{key}: {node?.ToJsonString() ?? "null"}: must be true or false");
        return null;
    }

    private static int? Int(JsonObject request, string key, int minimum, List<string> errors, string prefix = "")
    {
        if (!request.TryGetPropertyValue(key, out var node))
        {
            return null;
        }

        if (node?.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue<int>(out var value) && value >= minimum)
        {
            return value;
        }

        errors.Add($"{prefix}{key}: {node?.ToJsonString() ?? "null"}: must be an integer >= {minimum}");
        return null;
    }
}
