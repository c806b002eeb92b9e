using System.Net;
using Microsoft.Extensions.Configuration;

namespace Stoker.Silo.Authentication;

/// <summary>
/// Where Kestrel will listen, read from the same settings it reads (<c>--urls</c> / <c>ASPNETCORE_URLS</c> as
/// <c>urls</c>, <c>http_ports</c>/<c>https_ports</c>, <c>Kestrel:Endpoints:*:Url</c>) before it starts, so a silo that
/// would be reachable from other machines can refuse to start instead of serving open for a moment.
/// </summary>
public static class ListenAddresses
{
    /// <summary>ASP.NET's default when nothing is configured.</summary>
    public const string DefaultUrl = "http://localhost:5000";

    public static IReadOnlyList<string> Configured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var urls = new List<string>();
        foreach (var key in (string[])["urls", "http_ports", "https_ports"])
        {
            foreach (var part in (configuration[key] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                // Ports alone bind every address.
                urls.Add(key == "urls" ? part : $"http://*:{part}");
            }
        }

        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
            {
                urls.Add(url);
            }
        }

        return urls.Count == 0 ? [DefaultUrl] : urls;
    }

    /// <summary>The first URL that is not on 127.0.0.0/8, ::1 or <c>localhost</c>, or null when all are loopback.</summary>
    public static string? FirstNonLoopback(IEnumerable<string> urls)
    {
        ArgumentNullException.ThrowIfNull(urls);
        return urls.FirstOrDefault(u => !IsLoopback(u));
    }

    public static bool IsLoopback(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var rest = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? rest : rest[..slash];
        string host;
        if (authority.StartsWith('['))
        {
            var end = authority.IndexOf(']', StringComparison.Ordinal);
            host = end < 0 ? authority : authority[1..end];
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
        }

        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}
