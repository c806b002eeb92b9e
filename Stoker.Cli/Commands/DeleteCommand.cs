using System.CommandLine;
using Stoker.Cli.Client;
using Stoker.Cli.Manifests;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Cli.Commands;

/// <summary><c>stoker delete gs NAME...</c> or <c>stoker delete -f FILE</c> (GatewaySyncs and v1 Secrets, each at its own API).</summary>
public static class DeleteCommand
{
    public static readonly Argument<string[]> ArgumentsArgument = new("TYPE NAME")
    {
        Description = "gs followed by one or more names (or use -f).",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static readonly Option<string[]> FileOption = new("--filename", "-f")
    {
        Description = "Delete the resources named in these files, folders or stdin (-).",
        Arity = ArgumentArity.OneOrMore,
    };

    public static readonly Option<bool> RecursiveOption = new("--recursive", "-R") { Description = "Read folders given with -f and their subfolders." };

    public static readonly Option<bool> IgnoreNotFoundOption = new("--ignore-not-found") { Description = "A resource that does not exist is not an error." };

    public static Command Create(CliConsole console)
    {
        var command = new Command("delete", "Delete GatewaySyncs by name or by manifest.") { ArgumentsArgument, FileOption, RecursiveOption, IgnoreNotFoundOption };
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed, console, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parsed, CliConsole console, CancellationToken cancellationToken)
    {
        var arguments = parsed.GetValue(ArgumentsArgument) ?? [];
        var files = parsed.GetValue(FileOption) ?? [];
        var requestedNamespace = parsed.GetValue(StokerCommandLine.NamespaceOption);
        var targets = new List<(ManifestKind Kind, string Namespace, string Name)>();
        var errors = new List<string>();
        if (files.Length > 0)
        {
            if (arguments.Length > 0)
            {
                await console.Error.WriteLineAsync("error: give either -f or a type and names, not both");
                return ExitCodes.Usage;
            }

            if (ManifestReader.MissingPaths(files) is { Count: > 0 } missing)
            {
                foreach (var path in missing)
                {
                    await console.Error.WriteLineAsync($"error: the path \"{path}\" does not exist");
                }

                return ExitCodes.Usage;
            }

            foreach (var document in ManifestReader.Read(files, parsed.GetValue(RecursiveOption), console.In, errors))
            {
                var kind = ManifestKinds.Classify(document.Node);
                if (kind == ManifestKind.Unsupported)
                {
                    errors.Add(ManifestKinds.Unsupported(document));
                }
                else if (ResourceNodes.Name(document.Node) is { } name)
                {
                    targets.Add((kind, ResourceNodes.Namespace(document.Node) ?? requestedNamespace ?? ObjectMeta.DefaultNamespace, name));
                }
                else
                {
                    errors.Add($"error: {document.Where}: metadata.name: Required value (a resource is deleted by name)");
                }
            }
        }
        else
        {
            if (arguments.Length < 2)
            {
                await console.Error.WriteLineAsync("error: give a type and at least one name (stoker delete gs NAME), or -f FILE");
                return ExitCodes.Usage;
            }

            if (!ResourceTypes.IsGatewaySync(arguments[0]))
            {
                await console.Error.WriteLineAsync(ResourceTypes.Unknown(arguments[0]));
                return ExitCodes.Usage;
            }

            targets.AddRange(arguments.Skip(1).Select(n => (ManifestKind.GatewaySync, requestedNamespace ?? ObjectMeta.DefaultNamespace, n)));
        }

        var ignoreNotFound = parsed.GetValue(IgnoreNotFoundOption);
        return await StokerCommandLine.WithClientAsync(parsed, console, async client =>
        {
            var failed = errors.Count > 0;
            foreach (var error in errors)
            {
                await console.Error.WriteLineAsync(error);
            }

            foreach (var (kind, ns, name) in targets)
            {
                var isSecretKind = kind is ManifestKind.Secret;
                var answer = await client.DeleteAsync(isSecretKind ? StokerApiClient.SecretItemPath(ns, name) : StokerApiClient.ItemPath(ns, name), cancellationToken);
                if (answer.IsSuccess)
                {
                    await console.Out.WriteLineAsync($"{(isSecretKind ? "secret" : ResourceTypes.Qualified)} \"{name}\" deleted");
                }
                else if (!(answer.StatusCode == 404 && ignoreNotFound))
                {
                    ServerErrors.Write(console.Error, answer);
                    failed = true;
                }
            }

            return failed ? ExitCodes.Failed : ExitCodes.Success;
        });
    }
}
