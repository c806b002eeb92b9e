using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Stoker.Cli.Client;
using Stoker.Grains.Interfaces.Security;

namespace Stoker.Cli.Commands;

/// <summary>
/// <c>stoker agent-token create --gateway NS/NAME/GW [--ttl 720h]</c> prints a new agent token (only the token on
/// stdout, so <c>&gt; file</c> works; its id and expiry on stderr); <c>stoker agent-token revoke ID|TOKEN</c> revokes
/// one, a token being read locally for its id. Local mode only: a Kubernetes-mode silo answers 409.
/// </summary>
public static class AgentTokenCommand
{
    public const string Path = "/api/v1/agent-tokens";

    public static readonly Option<string> GatewayOption = new("--gateway")
    {
        Description = "The gateway the token is for: NAMESPACE/GATEWAYSYNC/GATEWAY (CR_NAMESPACE/CR_NAME/GATEWAY_NAME of its agent).",
        Required = true,
    };

    public static readonly Option<string?> TtlOption = new("--ttl") { Description = "How long the token is valid, e.g. 720h (default: the silo's, 8760h)." };

    public static readonly Option<string?> OutputOption = new("--output", "-o")
    {
        Description = "Write the token to this file (created 0600, replaced atomically) instead of stdout: what AGENT_TOKEN_FILE names.",
    };

    public static readonly Argument<string> IdOrTokenArgument = new("ID|TOKEN") { Description = "The token's id (as create printed it) or the token itself." };

    public static Command Create(CliConsole console)
    {
        var create = new Command("create", "Mint a token for one gateway's agent; only the token goes to stdout.") { GatewayOption, TtlOption, OutputOption };
        create.SetAction((parsed, cancellationToken) => CreateAsync(parsed, console, cancellationToken));
        var revoke = new Command("revoke", "Revoke a token: every silo refuses it within seconds.") { IdOrTokenArgument };
        revoke.SetAction((parsed, cancellationToken) => RevokeAsync(parsed, console, cancellationToken));
        return new Command("agent-token", "Mint and revoke local-mode agent credentials (AGENT_TOKEN_FILE).") { create, revoke };
    }

    private static Task<int> CreateAsync(ParseResult parsed, CliConsole console, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["gateway"] = parsed.GetValue(GatewayOption) };
        if (parsed.GetValue(TtlOption) is { } ttl)
        {
            body["ttl"] = ttl;
        }

        return StokerCommandLine.WithClientAsync(parsed, console, async client =>
        {
            var answer = await client.PostAsync(Path, body, cancellationToken);
            if (!answer.IsSuccess || Text(answer.Body?["token"]) is not { Length: > 0 } token)
            {
                ServerErrors.Write(console.Error, answer);
                return ExitCodes.Failed;
            }

            if (parsed.GetValue(OutputOption) is { Length: > 0 } output)
            {
                try
                {
                    StokerStateFolder.WriteSecretFile(output, Encoding.UTF8.GetBytes(token + "\n"));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    await console.Error.WriteLineAsync($"error: --output \"{output}\": cannot write the token: {e.Message} (the token {Text(answer.Body?["id"])} was minted; revoke it)");
                    return ExitCodes.Failed;
                }
            }
            else
            {
                await console.Out.WriteLineAsync(token);
            }

            await console.Error.WriteLineAsync($"agent token {Text(answer.Body?["id"])} for gateway {Text(answer.Body?["gateway"])}, expires {Text(answer.Body?["expiresAt"])}");
            return ExitCodes.Success;
        });
    }

    private static async Task<int> RevokeAsync(ParseResult parsed, CliConsole console, CancellationToken cancellationToken)
    {
        var given = parsed.GetValue(IdOrTokenArgument)?.Trim() ?? "";
        var id = given.Contains('.', StringComparison.Ordinal) ? ReadId(given) : given;
        if (id is null)
        {
            await console.Error.WriteLineAsync("error: ID|TOKEN: the value has dots but is not a JWT with a jti claim; give the token as create printed it, or its id");
            return ExitCodes.Usage;
        }

        return await StokerCommandLine.WithClientAsync(parsed, console, async client =>
        {
            var answer = await client.DeleteAsync($"{Path}/{Uri.EscapeDataString(id)}", cancellationToken);
            if (!answer.IsSuccess)
            {
                ServerErrors.Write(console.Error, answer);
                return ExitCodes.Failed;
            }

            await console.Out.WriteLineAsync($"agent token {id} for gateway {Text(answer.Body?["gateway"])} revoked");
            return ExitCodes.Success;
        });
    }

    /// <summary>The token's id, read without verifying it: only the silo can verify, and it revokes by id.</summary>
    private static string? ReadId(string token)
    {
        try
        {
            return new JsonWebToken(token).TryGetPayloadValue<string>(JwtRegisteredClaimNames.Jti, out var id) && id is { Length: > 0 } ? id : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
