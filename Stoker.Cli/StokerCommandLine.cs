using System.CommandLine;
using Stoker.Cli.Client;
using Stoker.Cli.Commands;

namespace Stoker.Cli;

/// <summary>
/// <c>stoker</c>: kubectl's habits for the GatewaySyncs of a Stoker silo running without Kubernetes. Exit codes:
/// 0 done, 1 the request failed (refused by the server, server unreachable, unreadable manifest), 2 usage error.
/// </summary>
public static class StokerCommandLine
{
    public const string ServerVariable = "STOKER_SERVER";
    public const string DefaultServer = "http://127.0.0.1:8080";

    /// <summary>Applying resolves the ref on the server before it answers; leave room for a slow remote.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(90);

    public static readonly Option<string?> ServerOption = new("--server", "-s")
    {
        Description = $"The Stoker silo's HTTP address. Default: ${ServerVariable}, else {DefaultServer}.",
        Recursive = true,
    };

    public static readonly Option<string?> TokenOption = new("--token")
    {
        Description = $"The bearer token to send. Default: --token-file, else ${ApiCredentials.TokenVariable}, else a loopback silo's admin token in the state folder.",
        Recursive = true,
    };

    public static readonly Option<string?> TokenFileOption = new("--token-file")
    {
        Description = "A file holding the bearer token to send.",
        Recursive = true,
    };

    public static readonly Option<string?> NamespaceOption = new("--namespace", "-n")
    {
        Description = "The namespace. Default: the resource's own, else \"default\".",
        Recursive = true,
    };

    public static async Task<int> RunAsync(string[] args, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var root = new RootCommand("stoker: apply, list, describe and delete GatewaySyncs (and apply Secrets) on a Stoker silo without Kubernetes; kubeconfig for kubectl.")
        {
            ServerOption,
            TokenOption,
            TokenFileOption,
            NamespaceOption,
            ApplyCommand.Create(console),
            GetCommand.Create(console),
            DescribeCommand.Create(console),
            DeleteCommand.Create(console),
            AgentTokenCommand.Create(console),
            KubeconfigCommand.Create(console),
        };
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                await console.Error.WriteLineAsync($"error: {error.Message}");
            }

            await console.Error.WriteLineAsync("Run 'stoker --help' for usage.");
            return ExitCodes.Usage;
        }

        return await result.InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error });
    }

    /// <summary>Resolves the server address (a usage error when malformed) and runs <paramref name="action"/> with a client.</summary>
    public static async Task<int> WithClientAsync(ParseResult parsed, CliConsole console, Func<StokerApiClient, Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(action);
        var (server, from) = parsed.GetValue(ServerOption) is { } option ? (option, "--server")
            : console.ServerFromEnvironment is { Length: > 0 } env ? (env, ServerVariable)
            : (DefaultServer, "default");
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            await console.Error.WriteLineAsync($"error: {from} \"{server}\": must be an absolute http:// or https:// URL, such as {DefaultServer}");
            return ExitCodes.Usage;
        }

        var (credentials, problem) = ApiCredentials.Resolve(uri, parsed.GetValue(TokenOption), parsed.GetValue(TokenFileOption),
            console.TokenFromEnvironment, console.StateFolder ?? Grains.Interfaces.Security.StokerStateFolder.Default);
        if (problem is not null)
        {
            await console.Error.WriteLineAsync($"error: {problem}");
            return ExitCodes.Usage;
        }

        using var http = new HttpClient { Timeout = RequestTimeout };
        try
        {
            return await action(new StokerApiClient(http, uri, credentials));
        }
        catch (ServerUnreachableException e)
        {
            await console.Error.WriteLineAsync($"error: {e.Message} (set the address with --server or {ServerVariable})");
            return ExitCodes.Failed;
        }
    }
}
