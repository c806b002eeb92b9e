using System.CommandLine;
using System.Text;
using Stoker.Cli.Client;
using Stoker.Grains.Interfaces.Security;

namespace Stoker.Cli.Commands;

/// <summary>
/// <c>stoker kubeconfig [--out FILE]</c>: a kubeconfig for the silo <c>stoker</c> talks to (the same server and the
/// same bearer token, found the same way), so kubectl works against it:
/// <c>stoker kubeconfig &gt; ~/.kube/stoker &amp;&amp; KUBECONFIG=~/.kube/stoker kubectl get gs</c> (docs/kubectl.md).
/// kubectl sends a token only over https: for the silo's plain-http address the kubeconfig names the same host on the
/// silo's HTTPS port (<c>Stoker:Silo:HttpsPort</c>, 8443 unless <c>--https-port</c> says otherwise), and the CA that
/// issued the silo's certificate (the state folder's) goes in as <c>certificate-authority-data</c>.
/// </summary>
public static class KubeconfigCommand
{
    /// <summary>The cluster, user and context name in the kubeconfig.</summary>
    public const string ContextName = "stoker";

    public static readonly Option<string?> OutOption = new("--out")
    {
        Description = "Write the kubeconfig to this file (created 0600, replaced atomically) instead of stdout: it holds the token.",
    };

    /// <summary>The silo's default HTTPS port (<c>Stoker:Silo:HttpsPort</c>).</summary>
    public const int DefaultHttpsPort = 8443;

    public static readonly Option<int> HttpsPortOption = new("--https-port")
    {
        Description = $"The silo's HTTPS port (Stoker:Silo:HttpsPort), used when the server is an http:// address. Default: {DefaultHttpsPort}.",
        DefaultValueFactory = _ => DefaultHttpsPort,
    };

    public static readonly Option<string?> CertificateAuthorityOption = new("--certificate-authority")
    {
        Description = "The CA (PEM) kubectl verifies an https server with. Default: the state folder's tls/ca.crt, which issued the silo's certificate.",
    };

    public static Command Create(CliConsole console)
    {
        var command = new Command("kubeconfig", "Print a kubeconfig for this silo (server and token as stoker uses them), for kubectl.")
        {
            OutOption,
            CertificateAuthorityOption,
            HttpsPortOption,
        };
        command.SetAction((parsed, _) => RunAsync(parsed, console));
        return command;
    }

    private static Task<int> RunAsync(ParseResult parsed, CliConsole console) =>
        StokerCommandLine.WithClientAsync(parsed, console, async client =>
        {
            if (client.Credentials?.Token is not { } token)
            {
                await console.Error.WriteLineAsync(
                    $"error: no token for {client.Server} (looked at {string.Join(", ", client.Credentials?.Looked ?? [])}); pass --token or --token-file, "
                    + $"or set {ApiCredentials.TokenVariable} (docs/security.md, \"API authentication\")");
                return ExitCodes.Failed;
            }

            // The same host on the HTTPS port: the address stoker uses is usually the plain-http one.
            var httpsPort = parsed.GetValue(HttpsPortOption);
            if (httpsPort is < 1 or > 65535)
            {
                await console.Error.WriteLineAsync($"error: --https-port {httpsPort}: must be a TCP port between 1 and 65535");
                return ExitCodes.Usage;
            }

            var server = client.Server.Scheme == Uri.UriSchemeHttps
                ? client.Server
                : new UriBuilder(client.Server) { Scheme = Uri.UriSchemeHttps, Port = httpsPort }.Uri;
            string? authority = null;
            {
                var caFile = parsed.GetValue(CertificateAuthorityOption)
                    ?? StokerStateFolder.CaCertificateFile(console.StateFolder ?? StokerStateFolder.Default);
                try
                {
                    authority = Convert.ToBase64String(File.ReadAllBytes(caFile));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Without it kubectl trusts the system's CAs only, which a silo's own CA is not among.
                    await console.Error.WriteLineAsync($"warning: no certificate authority for {server} ({caFile}: {e.Message}); "
                        + "kubectl will trust the system's CAs only: pass --certificate-authority");
                }
            }

            var text = Render(server, token, parsed.GetValue(StokerCommandLine.NamespaceOption) ?? "default", authority);
            if (parsed.GetValue(OutOption) is { Length: > 0 } path)
            {
                try
                {
                    StokerStateFolder.WriteSecretFile(path, Encoding.UTF8.GetBytes(text));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    await console.Error.WriteLineAsync($"error: --out \"{path}\": cannot write the kubeconfig: {e.Message}");
                    return ExitCodes.Failed;
                }

                await console.Error.WriteLineAsync($"kubeconfig for {server} written to {path} (context \"{ContextName}\", token from {client.Credentials.Source})");
                return ExitCodes.Success;
            }

            await console.Out.WriteAsync(text);
            return ExitCodes.Success;
        });

    /// <summary>The kubeconfig; values double-quoted so a token or URL can hold nothing YAML would read otherwise.</summary>
    /// <param name="certificateAuthorityData">The CA's PEM, base64 (<c>certificate-authority-data</c>), or null.</param>
    public static string Render(Uri server, string token, string @namespace, string? certificateAuthorityData = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var authority = certificateAuthorityData is null ? "" : $"\n    certificate-authority-data: {certificateAuthorityData}";
        return $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {ContextName}
              cluster:
                server: {Quote(server.AbsoluteUri.TrimEnd('/'))}{authority}
            users:
            - name: {ContextName}
              user:
                token: {Quote(token)}
            contexts:
            - name: {ContextName}
              context:
                cluster: {ContextName}
                user: {ContextName}
                namespace: {Quote(@namespace)}
            current-context: {ContextName}

            """;
    }

    private static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var ch in value)
        {
            _ = ch switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                _ when char.IsControl(ch) => builder.Append("\\u").Append(((int)ch).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)),
                _ => builder.Append(ch),
            };
        }

        return builder.Append('"').ToString();
    }
}
