using System.CommandLine;
using System.Text.Json.Nodes;
using Stoker.Cli.Client;
using Stoker.Cli.Manifests;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Cli.Commands;

/// <summary>
/// <c>stoker apply -f FILE|DIR|-</c>: creates or replaces every resource in the files. GatewaySyncs are PUT by name
/// (POST when only generateName is given); v1 Secrets go to the core/v1 Secrets API, created with POST and replaced
/// with PUT when they exist, as on a Kubernetes API server. Other kinds are refused per document, naming the kind.
/// Every document is tried; the exit code is 2 if a manifest could not be read, else 1 if any was refused.
/// </summary>
public static class ApplyCommand
{
    public static readonly Option<string[]> FileOption = new("--filename", "-f")
    {
        Description = "A file, a folder of .yaml/.yml/.json files, or - for stdin (repeatable).",
        Required = true,
        Arity = ArgumentArity.OneOrMore,
    };

    public static readonly Option<bool> RecursiveOption = new("--recursive", "-R")
    {
        Description = "Read folders given with -f and their subfolders.",
    };

    public static Command Create(CliConsole console)
    {
        var command = new Command("apply", "Create or replace GatewaySyncs from YAML or JSON manifests.") { FileOption, RecursiveOption };
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed, console, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parsed, CliConsole console, CancellationToken cancellationToken)
    {
        var paths = parsed.GetValue(FileOption) ?? [];
        if (ManifestReader.MissingPaths(paths) is { Count: > 0 } missing)
        {
            foreach (var path in missing)
            {
                await console.Error.WriteLineAsync($"error: the path \"{path}\" does not exist");
            }

            return ExitCodes.Usage;
        }

        var errors = new List<string>();
        var documents = ManifestReader.Read(paths, parsed.GetValue(RecursiveOption), console.In, errors);
        if (documents.Count == 0 && errors.Count == 0)
        {
            await console.Error.WriteLineAsync("error: no objects passed to apply");
            return ExitCodes.Failed;
        }

        foreach (var error in errors)
        {
            await console.Error.WriteLineAsync(error);
        }

        if (documents.Count == 0)
        {
            return ExitCodes.InvalidInput;
        }

        var requestedNamespace = parsed.GetValue(StokerCommandLine.NamespaceOption);
        return await StokerCommandLine.WithClientAsync(parsed, console, async client =>
        {
            // Like kubectl, the documents that could be read are still sent; a manifest that could not be read
            // decides the exit code, since it is the input that must change.
            var failed = false;
            foreach (var document in documents)
            {
                failed |= !await ApplyAsync(client, document, requestedNamespace, console, cancellationToken);
            }

            return errors.Count > 0 ? ExitCodes.InvalidInput : failed ? ExitCodes.Failed : ExitCodes.Success;
        });
    }

    private static async Task<bool> ApplyAsync(StokerApiClient client, ManifestDocument document, string? requestedNamespace, CliConsole console, CancellationToken cancellationToken)
    {
        var ns = ResourceNodes.Namespace(document.Node);
        if (ns is not null && requestedNamespace is not null && ns != requestedNamespace)
        {
            await console.Error.WriteLineAsync(
                $"error: {document.Where}: the namespace of the resource \"{ns}\" does not match --namespace \"{requestedNamespace}\"");
            return false;
        }

        ns ??= requestedNamespace ?? ObjectMeta.DefaultNamespace;
        var name = ResourceNodes.Name(document.Node);
        switch (ManifestKinds.Classify(document.Node))
        {
            case ManifestKind.Secret:
                return await ApplySecretAsync(client, document, ns, name, console, cancellationToken);
            case ManifestKind.Unsupported:
                await console.Error.WriteLineAsync(ManifestKinds.Unsupported(document));
                return false;
        }

        var answer = name is null
            ? await client.PostAsync(StokerApiClient.CollectionPath(ns), document.Node, cancellationToken)
            : await client.PutAsync(StokerApiClient.ItemPath(ns, name), document.Node, cancellationToken);
        if (!answer.IsSuccess)
        {
            ServerErrors.Write(console.Error, answer, document.Where);
            return false;
        }

        var action = answer.StatusCode == 201 ? "created" : "configured";
        await console.Out.WriteLineAsync($"{ResourceTypes.Qualified}/{ResourceNodes.Name(answer.Body) ?? name} {action}");
        return true;
    }

    /// <summary>Create first; a Secret that exists already (409) is replaced, as <c>kubectl apply</c> ends up doing.</summary>
    private static async Task<bool> ApplySecretAsync(StokerApiClient client, ManifestDocument document, string ns, string? name, CliConsole console,
        CancellationToken cancellationToken)
    {
        var answer = await client.PostAsync(StokerApiClient.SecretCollectionPath(ns), document.Node, cancellationToken);
        var action = "created";
        if (answer.StatusCode == 409 && name is not null)
        {
            answer = await client.PutAsync(StokerApiClient.SecretItemPath(ns, name), document.Node, cancellationToken);
            action = "configured";
        }

        if (!answer.IsSuccess)
        {
            ServerErrors.Write(console.Error, answer, document.Where);
            return false;
        }

        await console.Out.WriteLineAsync($"secret/{ResourceNodes.Name(answer.Body) ?? name} {action}");
        return true;
    }
}
