using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Grains.Interfaces.Validation;
using Stoker.Silo.Webhooks;
using Stoker.Templating;
using Stoker.Tests.Resources;
using Xunit.Abstractions;

namespace Stoker.Tests.Fuzz;

/// <summary>
/// Issue 14's fuzz acceptance: the resource parser (<see cref="YamlJson.ReadAll"/> and the schema), the webhook
/// payload parser and the template engine, each driven by random and structure-aware inputs for a few seconds (a
/// long run: <c>STOKER_FUZZ_SECONDS=200</c>), with no exception but the documented ones, no hang and bounded memory.
/// Findings and the long run's figures: docs/security.md, "Fuzzing".
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> Vars = new(StringComparer.Ordinal) { ["a"] = "x", ["b"] = "../../etc", ["c"] = "" };

    private static readonly TemplateObject Data = new("TemplateData", new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["GatewayName"] = "gw-1",
        ["PodName"] = "gw-1-0",
        ["PodOrdinal"] = 0,
        ["Namespace"] = "ns",
        ["Ref"] = "main",
        ["Commit"] = new string('a', 40),
        ["CRName"] = "site",
        ["Labels"] = new Dictionary<string, string>(StringComparer.Ordinal) { ["site"] = "plant-1" },
        ["Vars"] = Vars,
    });

    [Fact]
    public Task ResourceParser_GeneratedText_OnlyResourceFormatErrors() =>
        new FuzzRun<string>("resource parser", output).RunAsync(
            Gen.Frequency((1, FuzzGens.AnyText), (2, FuzzGens.YamlishText), (4, FuzzGens.YamlDocuments), (3, FuzzGens.Mutated(ResourceYaml.Valid))),
            ParseResource,
            text => text);

    [Fact]
    public Task WebhookPayloadParser_GeneratedBodies_NeverThrows() =>
        new FuzzRun<byte[]>("webhook payload parser", output).RunAsync(
            Gen.Frequency(
                (1, Gen.Byte.Array[0, 300]),
                (4, FuzzGens.JsonValue(4).Select(Encoding.UTF8.GetBytes)),
                (2, FuzzGens.Mutated("{\"ref\":\"refs/heads/main\",\"after\":\"" + new string('a', 40) + "\",\"release\":{\"tag_name\":\"v1\"}}").Select(Encoding.UTF8.GetBytes))),
            ParsePayload,
            bytes => Convert.ToBase64String(bytes));

    [Fact]
    public Task TemplateEngine_GeneratedTemplates_OnlyTemplateErrors() =>
        new FuzzRun<string>("template engine", output).RunAsync(
            Gen.Frequency((1, FuzzGens.AnyText.Select(t => "{{" + t + "}}")), (5, FuzzGens.Template)),
            Render,
            text => text);

    private static void ParseResource(string text)
    {
        try
        {
            foreach (var node in YamlJson.ReadAll(text))
            {
                // What every reader does next: validate against the schema, and write the tree back (status, CLI output).
                _ = GatewaySyncSerializer.FromNode(node);
                _ = YamlJson.Write(node);
            }
        }
        catch (ResourceFormatException)
        {
            // The documented refusal: a 400 / exit 2 naming line, column and rule.
        }

        // The manifests folder and the CLI read streams and lists this way; it reports problems, never throws.
        _ = GatewaySyncSerializer.ParseAll(text);
    }

    private static void ParsePayload(byte[] body)
    {
        if (WebhookPayloadParser.Parse(body) is { } payload)
        {
            _ = GitRefFormat.IsValid(payload.Ref, out _);
        }

        if (WebhookPayloadParser.ParsePush(body) is { } push)
        {
            _ = GitRefFormat.IsValid(push.Ref, out _);
        }
    }

    private static void Render(string text)
    {
        try
        {
            _ = GoTemplate.RenderString(text, "fuzz.json", Data);
        }
        catch (TemplateParseException)
        {
        }
        catch (TemplateExecutionException)
        {
        }
    }
}
