using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Stoker.Tests.Infrastructure;

public static class FreePort
{
    /// <summary>
    /// Every port handed out in this test run. The kernel gives a just-released port out again readily, so two calls in a
    /// row (a silo's Orleans port and its HTTP port) could get the same one; a port is never handed out twice.
    /// </summary>
    private static readonly ConcurrentDictionary<int, bool> HandedOut = new();

    /// <summary>A loopback TCP port that was free a moment ago and not handed out before in this run; callers retry if another process takes it first.</summary>
    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (HandedOut.TryAdd(port, true))
            {
                return port;
            }
        }
    }
}
