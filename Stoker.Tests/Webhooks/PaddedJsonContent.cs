using System.Net;
using System.Text;

namespace Stoker.Tests.Webhooks;

/// <summary>A JSON body followed by <c>padding</c> spaces, streamed without a length (chunked) and never held whole.</summary>
public sealed class PaddedJsonContent(string json, long padding) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(json));
        var block = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
        try
        {
            for (var left = padding; left > 0; left -= block.Length)
            {
                await stream.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, left)));
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // The receiver answered after the part it reads and closed the connection: the rest is not wanted.
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
