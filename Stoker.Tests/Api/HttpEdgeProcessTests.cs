using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Stoker.Tests.Infrastructure;
using Xunit.Abstractions;
using static Stoker.Tests.Resources.HostileInputs;

namespace Stoker.Tests.Api;

/// <summary>
/// Issue 14's acceptance for hardened edges against a real silo process: a YAML alias bomb, 10,000 nesting levels, a
/// 100 MB body (declared and chunked), slow headers, a slow body, too many headers and too many connections each get
/// a 4xx or a closed connection within a generous deadline, and afterwards the silo still serves (healthz 200 and an
/// apply works). The silo runs with shortened timeouts (<c>Stoker:Http</c>) so the slow clients are cut off sooner;
/// the defaults are checked by <c>HttpLimitsOptionsTests</c>.
/// </summary>
public sealed class HttpEdgeProcessTests(ITestOutputHelper output)
{
    private const string ApplyPath = "/apis/stoker.io/v1alpha1/namespaces/edge/gatewaysyncs/x";
    private const int ConnectionLimit = 40;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task HostileClients_Each4xxOrClosed_SiloStillServes()
    {
        using var temp = new TempDirectory("http-edge");
        var repo = GitRepository.Create(temp.Combine("repo"));
        repo.WriteFile("projects/A/project.json", "{}");
        repo.Commit("first");
        await using var silo = await SiloProcess.StartAsync(new SiloProcessSettings
        {
            Name = "edge",
            Environment = new Dictionary<string, string>
            {
                ["Stoker__Http__RequestHeadersTimeout"] = "00:00:03",
                ["Stoker__Http__MinRequestBodyDataRateGracePeriod"] = "00:00:02",
                ["Stoker__Http__MaxConcurrentConnections"] = ConnectionLimit.ToString(CultureInfo.InvariantCulture),
            },
            HttpTimeout = Deadline,
        });
        var auth = Authorization(silo);

        // YAML: the alias bomb and 10,000 levels are refused naming the limit.
        await AssertRefusedAsync(silo, AliasBomb(), "more than 100000 values");
        await AssertRefusedAsync(silo, DeepJson(10_000), "nested deeper than 64 levels");
        await AssertRefusedAsync(silo, DeepYamlFlow(10_000), "nested deeper than 64 levels");

        // 100 MB declared: refused from the headers, before the body is read.
        using (var declared = await RawHttpConnection.OpenAsync(silo.Address))
        {
            var head = RawHttpConnection.Head("PUT", ApplyPath, auth, "Content-Type: application/yaml", "Content-Length: 104857600");
            var sending = SendEndlesslyAsync(declared, head + "\r\n", chunked: false);
            var status = await declared.ReadStatusOrCloseAsync(Deadline);
            Assert.True(status == 413, $"100 MB declared: {status}\n{declared.Received}");
            Assert.Contains("larger than 3145728 bytes", declared.Received, StringComparison.Ordinal);
            declared.Dispose();
            output.WriteLine($"100 MB declared: 413 after {await sending:N0} body bytes sent");
        }

        // 100 MB chunked (no length): refused once the route's 3 MiB are passed.
        using (var chunked = await RawHttpConnection.OpenAsync(silo.Address))
        {
            var head = RawHttpConnection.Head("PUT", ApplyPath, auth, "Content-Type: application/yaml", "Transfer-Encoding: chunked");
            var sending = SendEndlesslyAsync(chunked, head + "\r\n", chunked: true);
            var status = await chunked.ReadStatusOrCloseAsync(Deadline);
            Assert.True(status is null or 413, $"100 MB chunked: {status}\n{chunked.Received}");
            chunked.Dispose();
            var sent = await sending;
            output.WriteLine($"100 MB chunked: {status?.ToString(CultureInfo.InvariantCulture) ?? "closed"} after {sent:N0} body bytes sent");
            Assert.True(sent < 100L * 1024 * 1024, $"the server read all {sent:N0} bytes");
        }

        // Slow-loris, headers: a byte every two seconds never completes the headers; the connection is cut off.
        using (var slowHeaders = await RawHttpConnection.OpenAsync(silo.Address))
        {
            var head = RawHttpConnection.Head("GET", "/healthz", auth) + "X-Slow: " + new string('a', 100);
            var sending = DripAsync(slowHeaders, head);
            var status = await slowHeaders.ReadStatusOrCloseAsync(Deadline);
            Assert.True(status is null or 408, $"slow headers: {status}\n{slowHeaders.Received}");
            output.WriteLine($"slow headers: {status?.ToString(CultureInfo.InvariantCulture) ?? "closed"} after {await sending} bytes");
        }

        // Slow-loris, body: complete headers, then a byte of the body every two seconds; the connection is cut off.
        using (var slowBody = await RawHttpConnection.OpenAsync(silo.Address))
        {
            var body = new string('#', 2000);
            var head = RawHttpConnection.Head("PUT", ApplyPath, auth, "Content-Type: application/yaml", "Content-Length: 2000");
            Assert.True(await slowBody.TryWriteAsync(head + "\r\n"));
            var sending = DripAsync(slowBody, body);
            var status = await slowBody.ReadStatusOrCloseAsync(Deadline);
            Assert.True(status is null or 408, $"slow body: {status}\n{slowBody.Received}");
            output.WriteLine($"slow body: {status?.ToString(CultureInfo.InvariantCulture) ?? "closed"} after {await sending} bytes");
        }

        // Too many headers, too large a header.
        using (var manyHeaders = await RawHttpConnection.OpenAsync(silo.Address))
        {
            var headers = Enumerable.Range(0, 150).Select(i => $"X-Many-{i}: v").ToArray();
            await manyHeaders.TryWriteAsync(RawHttpConnection.Head("GET", "/healthz", auth, headers) + "\r\n");
            var status = await manyHeaders.ReadStatusOrCloseAsync(Deadline);
            Assert.True(status == 431, $"150 headers: {status}\n{manyHeaders.Received}");
        }

        using (var bigHeader = await RawHttpConnection.OpenAsync(silo.Address))
        {
            await bigHeader.TryWriteAsync(RawHttpConnection.Head("GET", "/healthz", auth, "X-Big: " + new string('b', 40 * 1024)) + "\r\n");
            var status = await bigHeader.ReadStatusOrCloseAsync(Deadline);
            Assert.True(status is 431 or null, $"a 40 KiB header: {status}\n{bigHeader.Received}");
        }

        // Too many connections: beyond the limit a connection is closed without an answer.
        var connections = new List<RawHttpConnection>();
        try
        {
            for (var i = 0; i < ConnectionLimit * 2; i++)
            {
                connections.Add(await RawHttpConnection.OpenAsync(silo.Address));
            }

            var request = RawHttpConnection.Head("GET", "/healthz", auth) + "\r\n";
            var statuses = await Task.WhenAll(connections.Select(async c =>
            {
                await c.TryWriteAsync(request);
                return await c.ReadStatusOrCloseAsync(Deadline);
            }));
            var answered = statuses.Count(s => s == 200);
            var refused = statuses.Count(s => s is null);
            output.WriteLine($"{connections.Count} connections at once with a limit of {ConnectionLimit}: {answered} answered, {refused} closed");
            Assert.True(answered <= ConnectionLimit, $"{answered} connections answered");
            Assert.True(refused >= ConnectionLimit, $"only {refused} connections refused: {string.Join(",", statuses)}");
        }
        finally
        {
            connections.ForEach(c => c.Dispose());
        }

        // Still serving: probes and an apply.
        Assert.False(silo.HasExited, silo.Output);
        await Eventually.Until(() => silo.StatusAsync("/healthz"), s => s == 200, Deadline, "healthz after the hostile clients");
        var applied = await Eventually.Until(() => PutAsync(silo, Manifests.GatewaySync("x", "edge", repo.Path)), r => r.Status is 200 or 201, Deadline, "an apply after the hostile clients");
        Assert.Equal("x", (string?)JsonNode.Parse(applied.Body)!["metadata"]!["name"]);
    }

    /// <summary>
    /// What <see cref="SiloProcess.Http"/> authenticates with, for the raw connections: its default header, else the
    /// admin token a loopback silo writes to its state folder, else nothing (a silo without API authentication).
    /// </summary>
    private static string? Authorization(SiloProcess silo)
    {
        if (silo.Http.DefaultRequestHeaders.Authorization is { } header)
        {
            return header.ToString();
        }

        var file = Stoker.Grains.Interfaces.Security.StokerStateFolder.AdminTokenFile(silo.StatePath);
        return File.Exists(file) ? "Bearer " + File.ReadAllText(file).Trim() : null;
    }

    private static async Task AssertRefusedAsync(SiloProcess silo, string text, string rule)
    {
        var (status, body) = await PutAsync(silo, text);
        Assert.True(status == 400, $"{status}: {body}");
        Assert.Contains(rule, (string?)JsonNode.Parse(body)!["message"], StringComparison.Ordinal);
    }

    private static async Task<(int Status, string Body)> PutAsync(SiloProcess silo, string text)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, ApplyPath) { Content = new StringContent(text, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/yaml");
        using var response = await silo.Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Sends <paramref name="head"/>, then up to 100 MB of body in 64 KiB writes until the server stops taking it.</summary>
    private static async Task<long> SendEndlesslyAsync(RawHttpConnection connection, string head, bool chunked)
    {
        if (!await connection.TryWriteAsync(head))
        {
            return 0;
        }

        var block = new byte[64 * 1024];
        Array.Fill(block, (byte)'#');
        var frame = chunked
            ? [.. Encoding.ASCII.GetBytes($"{block.Length:x}\r\n"), .. block, .. "\r\n"u8.ToArray()]
            : block;
        long sent = 0;
        while (sent < 100L * 1024 * 1024 && await connection.TryWriteAsync(frame))
        {
            sent += block.Length;
        }

        return sent;
    }

    /// <summary>A slow-loris client: one byte every two seconds, until the text is sent or the server closes.</summary>
    private static async Task<int> DripAsync(RawHttpConnection connection, string text)
    {
        var sent = 0;
        foreach (var c in text)
        {
            if (!await connection.TryWriteAsync(c.ToString()))
            {
                break;
            }

            sent++;
            // The hostile client's pace, not a wait for a result.
            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        return sent;
    }
}
