using System.Net;
using System.Net.Sockets;
using Stoker.Demo.Plan;

namespace Stoker.Demo.Processes;

/// <summary>Keeps each default port that is free and moves each taken one to a free port the OS picks.</summary>
public static class PortFinder
{
    public static DemoPorts Choose(DemoPorts wanted, ICollection<string> moved)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(moved);
        var taken = new HashSet<int>();
        int Pick(string name, int port)
        {
            if (!taken.Contains(port) && IsFree(port))
            {
                taken.Add(port);
                return port;
            }

            int other;
            do
            {
                other = AnyFree();
            }
            while (!taken.Add(other));
            moved.Add($"{name} port {port} is in use: using {other}");
            return other;
        }

        return new DemoPorts
        {
            SiloHttp = Pick("silo HTTP", wanted.SiloHttp),
            SiloHttps = Pick("silo HTTPS (kubectl)", wanted.SiloHttps),
            Silo = Pick("silo-to-silo", wanted.Silo),
            SiloGateway = Pick("silo gateway (agents)", wanted.SiloGateway),
            Git = Pick("git server", wanted.Git),
            NorthGateway = Pick("ignition-north", wanted.NorthGateway),
            SouthGateway = Pick("ignition-south", wanted.SouthGateway),
            NorthHealth = Pick("agent-north health", wanted.NorthHealth),
            NorthMetrics = Pick("agent-north metrics", wanted.NorthMetrics),
            SouthHealth = Pick("agent-south health", wanted.SouthHealth),
            SouthMetrics = Pick("agent-south metrics", wanted.SouthMetrics),
            Postgres = Pick("PostgreSQL", wanted.Postgres),
        };
    }

    /// <summary>
    /// Moves the named ports (<see cref="DemoPorts"/> property names) to free ones: another program took them between
    /// the check and the bind.
    /// </summary>
    public static DemoPorts Move(DemoPorts ports, IEnumerable<string> names, ICollection<string> moved)
    {
        ArgumentNullException.ThrowIfNull(ports);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(moved);
        var used = ports.All.Select(p => p.Port).ToHashSet();
        foreach (var name in names)
        {
            int port;
            do
            {
                port = AnyFree();
            }
            while (!used.Add(port));
            moved.Add($"{name} port {ports.All.Single(p => p.Name == name).Port} → {port} (another program took a port of this group while it started)");
            ports = name switch
            {
                nameof(DemoPorts.SiloHttp) => ports with { SiloHttp = port },
                nameof(DemoPorts.SiloHttps) => ports with { SiloHttps = port },
                nameof(DemoPorts.Silo) => ports with { Silo = port },
                nameof(DemoPorts.SiloGateway) => ports with { SiloGateway = port },
                nameof(DemoPorts.Git) => ports with { Git = port },
                nameof(DemoPorts.NorthGateway) => ports with { NorthGateway = port },
                nameof(DemoPorts.SouthGateway) => ports with { SouthGateway = port },
                nameof(DemoPorts.NorthHealth) => ports with { NorthHealth = port },
                nameof(DemoPorts.NorthMetrics) => ports with { NorthMetrics = port },
                nameof(DemoPorts.SouthHealth) => ports with { SouthHealth = port },
                nameof(DemoPorts.SouthMetrics) => ports with { SouthMetrics = port },
                nameof(DemoPorts.Postgres) => ports with { Postgres = port },
                _ => throw new ArgumentException($"no port named \"{name}\"", nameof(names)),
            };
        }

        return ports;
    }

    /// <summary>Free on every address: the agents' probes listen on all of them.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Any, port));
            listener.Listen();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Whether something accepts connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int AnyFree()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Any, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
