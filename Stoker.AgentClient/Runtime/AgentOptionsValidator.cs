using Microsoft.Extensions.Options;

namespace Stoker.AgentClient.Runtime;

/// <summary>
/// Refuses bad agent settings at start, each failure naming the variable (and its command-line option), the value
/// and the rule, as docs/standalone-agent.md lists them. Texts that did not convert were recorded while binding
/// (<see cref="AgentOptions.SettingErrors"/>) and come first.
/// </summary>
public sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>(options.SettingErrors);
        if (options.CrName.Length == 0)
        {
            failures.Add($"{AgentOptions.Named("CR_NAME")}: required: the GatewaySync this gateway belongs to");
        }

        if (options.CrNamespace.Length == 0)
        {
            failures.Add($"{AgentOptions.Named("CR_NAMESPACE")} or {AgentOptions.Named("POD_NAMESPACE")}: required: the GatewaySync's namespace");
        }

        if (Path.GetFullPath(options.RepoPath) == Path.GetFullPath(options.DataPath))
        {
            failures.Add($"{AgentOptions.Named("REPO_PATH")}: \"{options.RepoPath}\": must differ from DATA_PATH");
        }

        // Whether the file exists is checked at each registration, not here: a missing or unreadable token is reported
        // and retried (the kubelet may be late or replacing it), where a start-up error would put the sidecar in a crash loop.
        if (options.AgentTokenFile is { } tokenFile && !Path.IsPathFullyQualified(tokenFile))
        {
            failures.Add($"{AgentOptions.Named("AGENT_TOKEN_FILE")}: \"{tokenFile}\": must be an absolute path");
        }

        var caGiven = options.SiloCaFile is not null || options.SiloCa is not null;
        if (!caGiven && !options.SiloAllowInsecure)
        {
            failures.Add($"{AgentOptions.Named("SILO_CA_FILE")} or SILO_CA: required: the CA that issued the silo's certificate "
                + "(a local silo's is tls/ca.crt in its state folder); to connect over plain TCP to a silo with "
                + "Stoker:Silo:AllowInsecureAgents=true, set SILO_ALLOW_INSECURE=true instead");
        }
        else if (caGiven && options.SiloAllowInsecure)
        {
            failures.Add($"{AgentOptions.Named("SILO_ALLOW_INSECURE")}: \"true\": contradicts the CA given in SILO_CA_FILE or SILO_CA: choose TLS (a CA) or plain TCP");
        }

        if (Uri.CheckHostName(options.SiloTlsServerName) != UriHostNameType.Dns)
        {
            failures.Add($"{AgentOptions.Named("SILO_TLS_SERVER_NAME")}: \"{options.SiloTlsServerName}\": must be a DNS name");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
