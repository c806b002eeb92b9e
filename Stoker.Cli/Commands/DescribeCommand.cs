using System.CommandLine;
using Stoker.Cli.Client;
using Stoker.Cli.Output;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Cli.Commands;

/// <summary><c>stoker describe gs NAME...</c>: spec summary, status, conditions and discovered gateways.</summary>
public static class DescribeCommand
{
    public static readonly Argument<string> TypeArgument = new("TYPE") { Description = "gs (gatewaysyncs)" };

    public static readonly Argument<string[]> NamesArgument = new("NAME") { Description = "Resource names.", Arity = ArgumentArity.OneOrMore };

    public static Command Create(CliConsole console)
    {
        var command = new Command("describe", "Show GatewaySyncs in detail.") { TypeArgument, NamesArgument };
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

        var ns = parsed.GetValue(StokerCommandLine.NamespaceOption) ?? ObjectMeta.DefaultNamespace;
        var names = parsed.GetValue(NamesArgument) ?? [];
        return await StokerCommandLine.WithClientAsync(parsed, console, async client =>
        {
            var failed = false;
            var first = true;
            foreach (var name in names)
            {
                var answer = await client.GetAsync(StokerApiClient.ItemPath(ns, name), cancellationToken);
                if (answer is not { IsSuccess: true, Body: { } body })
                {
                    ServerErrors.Write(console.Error, answer);
                    failed = true;
                    continue;
                }

                if (!first)
                {
                    await console.Out.WriteLineAsync();
                }

                first = false;
                GatewaySyncDescriber.Write(console.Out, ResourceNodes.ToGatewaySync(body), console.Time.GetUtcNow());
            }

            return failed ? ExitCodes.Failed : ExitCodes.Success;
        });
    }
}
