using System.Text.Json.Nodes;
using Stoker.Demo.Plan;

namespace Stoker.Demo.Tour;

/// <summary>What the tour checks on the gateways' disks, beyond what the status says.</summary>
public static class GatewayFiles
{
    public const string SystemProperties = "config/resources/core/ignition/system-properties/config.json";

    /// <summary>The first sync landed what the profiles say: the site's project, patched; the rendered template.</summary>
    public static void CheckFirstSync(GatewayTopology gateway)
    {
        var project = gateway.Profile == "north" ? "North" : "South";
        var projectJson = ReadJson(gateway, $"projects/{project}/project.json");
        if (projectJson?["description"]?.GetValue<string>() is not { } description || !description.Contains(gateway.Name, StringComparison.Ordinal))
        {
            throw new DemoException($"{gateway.Name}: projects/{project}/project.json is missing or its description was not patched with the gateway name");
        }

        var properties = ReadJson(gateway, SystemProperties);
        if (properties?["systemName"]?.GetValue<string>() != gateway.Name)
        {
            throw new DemoException($"{gateway.Name}: system-properties config.json was not rendered: systemName is \"{properties?["systemName"]}\"");
        }
    }

    public static JsonNode? ReadJson(GatewayTopology gateway, string relative)
    {
        var path = Path.Join(gateway.DataPath, relative);
        return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) : null;
    }

    /// <summary>The change reached the disk: the rendered system properties carry <paramref name="text"/>.</summary>
    public static void CheckChange(GatewayTopology gateway, string commit, string text)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var properties = ReadJson(gateway, SystemProperties);
        if (properties?["homepageNotes"]?.GetValue<string>() is not { } notes || !notes.Contains(text, StringComparison.Ordinal))
        {
            throw new DemoException($"{gateway.Name}: the status says Synced at {TourState.Short(commit)} but its {SystemProperties} does not say \"{text}\"");
        }
    }
}
