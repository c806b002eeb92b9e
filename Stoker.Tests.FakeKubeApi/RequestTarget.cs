namespace Stoker.Tests.FakeKubeApi;

/// <summary>What a resource URL names: the resource, an optional namespace, object name and subresource.</summary>
public sealed record RequestTarget(ResourceType Resource, string? Namespace, string? Name, string? Subresource)
{
    /// <summary>
    /// Parses <c>/api/v1/...</c> and <c>/apis/GROUP/VERSION/...</c> resource paths; null when the path names no
    /// known resource. Throws for a known resource with a malformed rest.
    /// </summary>
    public static RequestTarget? Parse(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group;
        string version;
        int rest;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            (group, version, rest) = (string.Empty, segments[1], 2);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], 3);
        }
        else
        {
            return null;
        }

        var tail = segments[rest..];
        if (tail.Length >= 3 && tail[0] == "namespaces" && ResourceCatalog.Find(group, version, tail[2]) is { Namespaced: true } namespaced)
        {
            return tail.Length switch
            {
                3 => new RequestTarget(namespaced, tail[1], null, null),
                4 => new RequestTarget(namespaced, tail[1], tail[3], null),
                5 => new RequestTarget(namespaced, tail[1], tail[3], tail[4]),
                _ => null,
            };
        }

        if (ResourceCatalog.Find(group, version, tail[0]) is not { } resource)
        {
            return null;
        }

        return tail.Length switch
        {
            1 => new RequestTarget(resource, null, null, null),
            2 when !resource.Namespaced => new RequestTarget(resource, null, tail[1], null),
            3 when !resource.Namespaced => new RequestTarget(resource, null, tail[1], tail[2]),
            _ => null,
        };
    }
}
