using System.Text;

namespace Stoker.AgentClient.Ignition;

/// <summary>One gateway response, read in full (up to <see cref="MaxBodyBytes"/>) inside the request timeout.</summary>
internal sealed record GatewayAnswer(int Status, string Body, Uri? Location)
{
    /// <summary>Ignition's answers here are a few kilobytes; a larger body is cut, never buffered whole.</summary>
    public const int MaxBodyBytes = 1 << 20;

    public bool IsSuccess => Status is >= 200 and < 300;

    public static async Task<string> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while (buffer.Length < MaxBodyBytes && (read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, (int)Math.Min(read, MaxBodyBytes - buffer.Length));
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
