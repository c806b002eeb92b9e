using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace Stoker.IgnitionSimulator;

/// <summary>
/// Response bodies in the shapes Ignition 8.3 sends: JSON for <c>/data/api/v1/*</c>, the plain-text
/// <c>key=value;</c> list of <c>/system/gwinfo</c>, and Jetty's HTML page for errors.
/// </summary>
internal static class GatewayResponses
{
    public const string Version = "8.3.0";
    public const string Build = "b2025071513";
    public const string JvmVersion = "17.0.15";

    public static string ErrorPage(int status, string path)
    {
        var reason = ReasonPhrases.GetReasonPhrase(status);
        var uri = WebUtility.HtmlEncode(path);
        return $"""
            <html>
            <head>
            <meta http-equiv="Content-Type" content="text/html;charset=ISO-8859-1"/>
            <title>Error {status} {reason}</title>
            </head>
            <body><h2>HTTP ERROR {status} {reason}</h2>
            <table>
            <tr><th>URI:</th><td>{uri}</td></tr>
            <tr><th>STATUS:</th><td>{status}</td></tr>
            <tr><th>MESSAGE:</th><td>{reason}</td></tr>
            </table>

            </body>
            </html>

            """;
    }

    public static string GwInfo(string contextStatus, string gatewayName, int httpPort, int httpsPort) => string.Create(
        CultureInfo.InvariantCulture,
        $"ContextStatus={contextStatus};PlatformName={gatewayName};Version={Version};PlatformEdition=;RedundancyStatus=Independent;"
        + $"RedundantState=Good;RedundantNodeActiveStatus=Active;OS=Linux;RuntimeVersion={JvmVersion};HttpPort={httpPort};HttpsPort={httpsPort};");

    public static JsonObject GatewayInfo(string gatewayName, int port, IReadOnlyList<string>? projects)
    {
        var info = new JsonObject
        {
            ["allowUnsignedModules"] = false,
            ["deploymentMode"] = "",
            ["edition"] = "standard",
            ["hostname"] = "localhost",
            ["ignitionVersion"] = $"{Version} ({Build})",
            ["jvmVersion"] = JvmVersion,
            ["license"] = new JsonObject
            {
                ["expirationDate"] = "",
                ["licenseRestrictions"] = new JsonArray(),
                ["mode"] = "Trial",
                ["validForVersion"] = 0,
            },
            ["name"] = gatewayName,
            ["port"] = port.ToString(CultureInfo.InvariantCulture),
            ["redundancyRole"] = "Independent",
            ["timeZone"] = "Coordinated Universal Time",
            ["timeZoneId"] = "UTC",
        };
        if (projects is not null)
        {
            // Not in Ignition's answer: the simulator's opt-in extension (listProjects) for demos and tests.
            info["projects"] = ToArray(projects);
        }

        return info;
    }

    public static JsonObject ScanAccepted(IReadOnlyList<string>? projects) =>
        projects is null ? [] : new JsonObject { ["projects"] = ToArray(projects) };

    public static JsonObject Designers(IReadOnlyList<SimulatedDesignerSession> sessions, TimeSpan uptime, DateTimeOffset now)
    {
        var items = new JsonArray();
        for (var i = 0; i < sessions.Count; i++)
        {
            var session = sessions[i];
            items.Add(new JsonObject
            {
                ["id"] = $"designer-{i + 1}",
                ["user"] = session.User,
                ["project"] = session.Project,
                ["address"] = session.Address,
                ["timezone"] = session.Timezone,
                ["uptime"] = (long)uptime.TotalMilliseconds,
                ["lastcomm"] = now.ToUnixTimeMilliseconds(),
                ["timeout"] = 3_600_000,
                ["memory"] = new JsonObject { ["used"] = 268_435_456L, ["max"] = 1_073_741_824L },
            });
        }

        return new JsonObject
        {
            ["items"] = items,
            ["metadata"] = new JsonObject
            {
                ["total"] = sessions.Count,
                ["matching"] = sessions.Count,
                ["limit"] = -1,
                ["offset"] = 0,
            },
        };
    }

    private static JsonArray ToArray(IReadOnlyList<string> values) => [.. values.Select(v => (JsonNode?)JsonValue.Create(v))];
}
