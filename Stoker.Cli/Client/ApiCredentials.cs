using System.Net;
using Stoker.Grains.Interfaces.Security;

namespace Stoker.Cli.Client;

/// <summary>
/// The bearer token <c>stoker</c> sends and where it came from: <c>--token</c>, <c>--token-file</c>,
/// <c>STOKER_TOKEN</c>, else (for a server on this machine's loopback) the silo's admin token file in the state
/// folder (<c>STOKER_STATE_PATH</c> or the default). Where it looked is kept for the message after a 401 or 403.
/// </summary>
public sealed record ApiCredentials(string? Token, string Source, IReadOnlyList<string> Looked)
{
    public const string TokenVariable = "STOKER_TOKEN";

    /// <summary>An admin token file longer than this is not one a silo wrote.</summary>
    private const int MaxFileBytes = 64 * 1024;

    /// <summary>Resolves the token; an unreadable <c>--token-file</c> is an error (message), a missing admin token file is not.</summary>
    public static (ApiCredentials? Credentials, string? Error) Resolve(Uri server, string? option, string? optionFile, string? environment, string stateFolder)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (option is not null && optionFile is not null)
        {
            return (null, "--token and --token-file: give one of them");
        }

        if (option is { } token)
        {
            return token.Trim().Length == 0 ? (null, "--token: must not be empty") : (new ApiCredentials(token.Trim(), "--token", ["--token"]), null);
        }

        if (optionFile is { } file)
        {
            var (fromFile, error) = ReadFile(file);
            return error is not null ? (null, $"--token-file {file}: {error}") : (new ApiCredentials(fromFile, $"--token-file {file}", [$"--token-file {file}"]), null);
        }

        var looked = new List<string> { "--token", "--token-file", $"${TokenVariable}" };
        if (environment is { Length: > 0 } fromEnvironment && fromEnvironment.Trim().Length > 0)
        {
            return (new ApiCredentials(fromEnvironment.Trim(), $"${TokenVariable}", looked), null);
        }

        var adminFile = StokerStateFolder.AdminTokenFile(stateFolder);
        if (!IsLoopback(server))
        {
            looked.Add($"{adminFile} (not read: {server.Host} is not this machine's loopback)");
            return (new ApiCredentials(null, "nowhere", looked), null);
        }

        looked.Add(adminFile);
        var (admin, _) = File.Exists(adminFile) ? ReadFile(adminFile) : (null, null);
        return (new ApiCredentials(admin, admin is null ? "nowhere" : adminFile, looked), null);
    }

    /// <summary>What to tell someone whose request was refused with <paramref name="statusCode"/>.</summary>
    public string Hint(int statusCode) => (statusCode, Token) switch
    {
        (401, null) => $"hint: the server wants a bearer token and none was found (looked at {string.Join(", ", Looked)}); "
            + $"pass --token or --token-file, or set {TokenVariable} (docs/security.md, \"API authentication\")",
        (401, _) => $"hint: the server did not accept the token from {Source} (looked at {string.Join(", ", Looked)}); "
            + "it may have been revoked, or belong to another silo",
        _ => $"hint: the token from {Source} is known to the server but not allowed to do this (a viewer token may only read)",
    };

    private static (string? Token, string? Error) ReadFile(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return (null, "no such file");
            }

            if (info.Length > MaxFileBytes)
            {
                return (null, $"{info.Length} bytes: a token file holds one token");
            }

            var text = File.ReadAllText(path).Trim();
            return text.Length == 0 ? (null, "the file is empty") : (text, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, e.Message);
        }
    }

    private static bool IsLoopback(Uri server) =>
        server.IsLoopback || (IPAddress.TryParse(server.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
