using System.Net.Sockets;
using System.Text;

namespace Stoker.Tests.Infrastructure;

/// <summary>
/// One TCP connection to an HTTP server, written byte by byte as a hostile client would (slow headers, slow or
/// endless bodies): what <see cref="HttpClient"/> cannot be made to do. Reads back the status line, or notices that
/// the server closed the connection.
/// </summary>
public sealed class RawHttpConnection : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly StringBuilder _received = new();

    private RawHttpConnection(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>Everything the server sent so far.</summary>
    public string Received => _received.ToString();

    public static async Task<RawHttpConnection> OpenAsync(Uri server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(server.Host, server.Port);
            return new RawHttpConnection(tcp);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The request line and headers as one text (CRLF line ends), with <paramref name="authorization"/> as the
    /// <c>Authorization</c> header when given (so a hostile request is read as an authenticated one), without the blank line.
    /// </summary>
    public static string Head(string method, string path, string? authorization, params string[] headers)
    {
        var text = new StringBuilder($"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        if (authorization is not null)
        {
            text.Append("Authorization: ").Append(authorization).Append("\r\n");
        }

        foreach (var header in headers)
        {
            text.Append(header).Append("\r\n");
        }

        return text.ToString();
    }

    /// <summary>Writes <paramref name="text"/>; false once the server has closed the connection.</summary>
    public async Task<bool> TryWriteAsync(string text) => await TryWriteAsync(Encoding.ASCII.GetBytes(text));

    public async Task<bool> TryWriteAsync(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            await _stream.WriteAsync(bytes);
            await _stream.FlushAsync();
            return true;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads until the server has sent a status line or closed the connection, within <paramref name="timeout"/>:
    /// the status code, or null when the connection was closed without one. Throws <see cref="TimeoutException"/>
    /// when the server did neither.
    /// </summary>
    public async Task<int?> ReadStatusOrCloseAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                if (StatusCode() is { } status)
                {
                    return status;
                }

                var read = await _stream.ReadAsync(buffer, cts.Token);
                if (read == 0)
                {
                    return StatusCode();
                }

                _received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"the server neither answered nor closed the connection within {timeout}; received: {Received}");
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // Reset by the server: closed.
            return StatusCode();
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _tcp.Dispose();
    }

    private int? StatusCode()
    {
        var text = Received;
        var end = text.IndexOf("\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return null;
        }

        var parts = text[..end].Split(' ');
        return parts.Length >= 2 && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var code) ? code : null;
    }
}
