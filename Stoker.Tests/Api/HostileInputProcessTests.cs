using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Stoker.Tests.Infrastructure;
using Xunit.Abstractions;
using static Stoker.Tests.Resources.HostileInputs;

namespace Stoker.Tests.Api;

/// <summary>
/// Issue 11's acceptance for defects 2, 3 and 7 against real processes: a silo process whose manifests folder holds
/// every hostile input beside a valid resource, then the same inputs through the apply API as YAML and as JSON and
/// through <c>stoker apply -f</c>. The silo must start, keep serving, answer each with a 4xx and a body, and its
/// memory must stay far below what expanding the alias bomb takes (past 8 GB).
/// </summary>
public sealed class HostileInputProcessTests(ITestOutputHelper output)
{
    private const string DepthRule = "nested deeper than 64 levels";
    private const string BudgetRule = "more than 100000 values";

    /// <summary>The hostile files: name, text and what the refusal must say.</summary>
    private static readonly (string File, string Text, string Rule)[] Hostile =
    [
        ("deep.json", DeepJson(), DepthRule),
        ("deep-flow.yaml", DeepYamlFlow(), DepthRule),
        ("deep-block.yaml", DeepYamlBlock(), DepthRule),
        ("bomb.yaml", AliasBomb(), BudgetRule),
    ];

    [Fact]
    public async Task HostileInputs_FolderApiAndCli_SiloSurvivesAnswers4xxAndStaysSmall()
    {
        using var temp = new TempDirectory("hostile");
        var repo = GitRepository.Create(temp.Combine("repo"));
        repo.WriteFile("projects/A/project.json", "{}");
        repo.Commit("first");
        var folder = Directory.CreateDirectory(temp.Combine("manifests")).FullName;
        await File.WriteAllTextAsync(Path.Join(folder, "good.yaml"), Manifests.GatewaySync("good", "folder", repo.Path));
        await File.WriteAllTextAsync(Path.Join(folder, "port.yaml"), WithPort("1e400", "port", "folder"));
        await File.WriteAllTextAsync(Path.Join(folder, "port-json.json"), WithPortJson("1e400", "port-json", "folder"));
        foreach (var (file, text, _) in Hostile)
        {
            await File.WriteAllTextAsync(Path.Join(folder, file), text);
        }

        await File.WriteAllTextAsync(Path.Join(folder, "big.yaml"), WithPort("8043", "big", "folder") + "\n# " + new string('x', 3 * 1024 * 1024) + "\n");
        await using var silo = await SiloProcess.StartAsync(new SiloProcessSettings
        {
            Name = "hostile",
            ServiceId = "hostile",
            Environment = new Dictionary<string, string> { ["Stoker__Manifests__Path"] = folder },
            HttpTimeout = TimeSpan.FromSeconds(60),
        });

        // The folder: the valid resource is served, every hostile file is reported by name with the limit it breaks.
        await Eventually.Until(() => StatusAsync(silo, HttpMethod.Get, "/namespaces/folder/gatewaysyncs/good"), s => s == 200,
            TimeSpan.FromSeconds(30), "the folder's valid resource served\n" + silo.Output);
        await Eventually.Until(() => Task.FromResult(silo.Output), o => Hostile.All(h => o.Contains($"Manifest {h.File} is invalid", StringComparison.Ordinal))
            && o.Contains("Manifest port.yaml is invalid", StringComparison.Ordinal) && o.Contains("Manifest big.yaml is invalid", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "every hostile file reported");
        foreach (var (file, _, rule) in Hostile)
        {
            Assert.Contains(silo.Output.Split('\n'), l => l.Contains($"Manifest {file}: document 1: (document): ", StringComparison.Ordinal) && l.Contains(rule, StringComparison.Ordinal));
        }

        Assert.Contains("Manifest port.yaml: document 1: spec.gateway.port: 1e400: must fit in a 32-bit integer", silo.Output, StringComparison.Ordinal);
        Assert.Contains("Manifest port-json.json: document 1: spec.gateway.port: 1e400: must fit in a 32-bit integer", silo.Output, StringComparison.Ordinal);
        Assert.Contains("Manifest big.yaml: document 1: (document): the file is larger than 3145728 bytes (the limit for a resource)", silo.Output, StringComparison.Ordinal);
        var afterStart = silo.PeakResidentBytes();

        // The apply API, each input as YAML and as JSON (the body is read as YAML whatever the Content-Type says).
        foreach (var (file, text, rule) in Hostile)
        {
            foreach (var contentType in new[] { "application/yaml", "application/json" })
            {
                var (status, body) = await SendAsync(silo, HttpMethod.Put, "/namespaces/hostile/gatewaysyncs/x", text, contentType);
                Assert.True(status == 400, $"{file} as {contentType}: {status} {body}\n{Tail(silo)}");
                Assert.Contains(rule, (string?)JsonNode.Parse(body)!["message"], StringComparison.Ordinal);
            }
        }

        foreach (var (text, contentType) in new[] { (WithPort("1e400", "x"), "application/yaml"), (WithPortJson("1e400", "x"), "application/json") })
        {
            var (status, body) = await SendAsync(silo, HttpMethod.Put, "/namespaces/hostile/gatewaysyncs/x", text, contentType);
            Assert.True(status == 422, $"port 1e400 as {contentType}: {status} {body}\n{Tail(silo)}");
            Assert.Contains("spec.gateway.port: Invalid value: 1e400: must fit in a 32-bit integer", (string?)JsonNode.Parse(body)!["message"], StringComparison.Ordinal);
        }

        // The CLI: a file it cannot read within the limits is refused before anything is sent, exit 2 naming the limit.
        foreach (var (file, _, rule) in Hostile)
        {
            var run = await CliProcess.RunAsync(silo.Address, ["apply", "-f", Path.Join(folder, file)], statePath: silo.StatePath);
            Assert.True(run.ExitCode == 2, $"stoker apply -f {file}: {run}");
            Assert.Contains(rule, run.Stderr, StringComparison.Ordinal);
            Assert.Contains(file, run.Stderr, StringComparison.Ordinal);
        }

        var port = await CliProcess.RunAsync(silo.Address, ["apply", "-f", Path.Join(folder, "port.yaml")], statePath: silo.StatePath);
        Assert.True(port.ExitCode == 1, port.ToString());
        Assert.Contains("* spec.gateway.port: Invalid value: 1e400: must fit in a 32-bit integer", port.Stderr, StringComparison.Ordinal);

        // Still alive and serving, and never near the gigabytes the expansion takes.
        Assert.False(silo.HasExited, silo.Output);
        Assert.Equal(200, await silo.StatusAsync("/healthz"));
        Assert.Equal(200, await StatusAsync(silo, HttpMethod.Get, "/namespaces/folder/gatewaysyncs/good"));
        var peak = silo.PeakResidentBytes();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"silo peak resident set: {afterStart / 1048576.0:0} MiB after start, {peak / 1048576.0:0} MiB after the API inputs"));
        Assert.True(peak < 1024L * 1024 * 1024, $"the silo's peak resident set reached {peak:N0} bytes");
        Assert.True(peak - afterStart < 256L * 1024 * 1024, $"the API inputs grew the silo's peak resident set by {peak - afterStart:N0} bytes");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ApplyFile_HostileManifest_Exit2NamingTheLimitBeforeContactingTheServer(int which)
    {
        using var temp = new TempDirectory("hostile-cli");
        var (file, text, rule) = Hostile[which];
        var path = temp.Combine(file);
        await File.WriteAllTextAsync(path, text);
        // Nothing listens here: the file is refused before any request could be made.
        var nobody = new Uri($"http://127.0.0.1:{FreePort.Next()}/");

        var run = await CliProcess.RunAsync(nobody, ["apply", "-f", path]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("", run.Stdout);
        Assert.StartsWith($"error: {path}: not valid YAML or JSON: line ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(rule, run.Stderr, StringComparison.Ordinal);
    }

    private static async Task<int> StatusAsync(SiloProcess silo, HttpMethod method, string path) => (await SendAsync(silo, method, path, null, null)).Status;

    private static async Task<(int Status, string Body)> SendAsync(SiloProcess silo, HttpMethod method, string path, string? body, string? contentType)
    {
        using var request = new HttpRequestMessage(method, "/apis/stoker.io/v1alpha1" + path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType!);
        }

        try
        {
            using var response = await silo.Http.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException e)
        {
            return (-1, $"no answer ({e.Message}); silo exited: {silo.HasExited}");
        }
    }

    private static string Tail(SiloProcess silo)
    {
        var text = silo.Output;
        return text.Length <= 4000 ? text : text[^4000..];
    }
}
