using System.CommandLine;
using System.Text.Json.Nodes;
using Stoker.Cli.Client;
using Stoker.Cli.Output;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;

namespace Stoker.Cli.Commands;

/// <summary><c>stoker get gs [NAME...] [-n NS|-A] [-o wide|yaml|json|name]</c>, with the CRD's printer columns.</summary>
public static class GetCommand
{
    public static readonly Argument<string> TypeArgument = new("TYPE") { Description = "gs (gatewaysyncs)" };

    public static readonly Argument<string[]> NamesArgument = new("NAME") { Description = "Resource names; all when none.", Arity = ArgumentArity.ZeroOrMore };

    public static readonly Option<bool> AllNamespacesOption = new("--all-namespaces", "-A") { Description = "List across all namespaces." };

    public static readonly Option<string?> OutputOption = new("--output", "-o") { Description = "wide, yaml, json or name. Default: a table." };

    public static Command Create(CliConsole console)
    {
        OutputOption.AcceptOnlyFromAmong("wide", "yaml", "json", "name");
        var command = new Command("get", "List GatewaySyncs, or show some by name.") { TypeArgument, NamesArgument, AllNamespacesOption, OutputOption };
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed, console, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parsed, CliConsole console, CancellationToken cancellationToken)
    {
        var type = parsed.GetValue(TypeArgument);
        if (!ResourceTypes.IsGatewaySync(type))
        {
            await console.Error.WriteLineAsync(ResourceTypes.Unknown(type));
            return ExitCodes.Usage;
        }

        var names = parsed.GetValue(NamesArgument) ?? [];
        var all = parsed.GetValue(AllNamespacesOption);
        if (all && names.Length > 0)
        {
            await console.Error.WriteLineAsync("error: a resource cannot be retrieved by name across all namespaces (drop -A, or give -n)");
            return ExitCodes.Usage;
        }

        var ns = parsed.GetValue(StokerCommandLine.NamespaceOption) ?? ObjectMeta.DefaultNamespace;
        var format = parsed.GetValue(OutputOption);
        return await StokerCommandLine.WithClientAsync(parsed, console, async client =>
        {
            var failed = false;
            var items = new List<JsonNode>();
            if (names.Length == 0)
            {
                var answer = await client.GetAsync(StokerApiClient.CollectionPath(all ? null : ns), cancellationToken);
                if (!answer.IsSuccess)
                {
                    ServerErrors.Write(console.Error, answer);
                    return ExitCodes.Failed;
                }

                items.AddRange(ResourceNodes.Items(answer.Body));
            }
            else
            {
                foreach (var name in names)
                {
                    var answer = await client.GetAsync(StokerApiClient.ItemPath(ns, name), cancellationToken);
                    if (answer is { IsSuccess: true, Body: { } body })
                    {
                        items.Add(body);
                    }
                    else
                    {
                        ServerErrors.Write(console.Error, answer);
                        failed = true;
                    }
                }
            }

            await PrintAsync(console, items, format, single: names.Length == 1, all, names.Length == 0 ? (all ? null : ns) : "");
            return failed ? ExitCodes.Failed : ExitCodes.Success;
        });
    }

    /// <param name="listedNamespace">For "No resources found": the namespace listed, null for all, "" when names were asked for.</param>
    private static async Task PrintAsync(CliConsole console, IReadOnlyList<JsonNode> items, string? format, bool single, bool withNamespace, string? listedNamespace)
    {
        if (format is "yaml" or "json")
        {
            if (single && items.Count == 0)
            {
                return;
            }

            JsonNode node = single
                ? items[0]
                : new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["metadata"] = new JsonObject { ["resourceVersion"] = "" }, ["items"] = new JsonArray(items.Select(i => i.DeepClone()).ToArray()) };
            await console.Out.WriteAsync(format == "yaml" ? YamlJson.Write(node) : node.ToJsonString(ResourceJson.Indented) + "\n");
            return;
        }

        if (items.Count == 0)
        {
            if (listedNamespace is not "")
            {
                await console.Error.WriteLineAsync(listedNamespace is null ? "No resources found" : $"No resources found in {listedNamespace} namespace.");
            }

            return;
        }

        if (format == "name")
        {
            foreach (var item in items)
            {
                await console.Out.WriteLineAsync($"{ResourceTypes.Qualified}/{ResourceNodes.Name(item)}");
            }

            return;
        }

        var wide = format == "wide";
        var now = console.Time.GetUtcNow();
        var rows = items.Select(ResourceNodes.ToGatewaySync).Select(r => GatewaySyncColumns.Row(r, wide, withNamespace, now)).ToList();
        TablePrinter.Write(console.Out, GatewaySyncColumns.Headers(wide, withNamespace), rows);
    }
}
