using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Stoker.AgentClient.Control;
using Stoker.Grains.Audit;
using Stoker.Grains.Interfaces.Grains;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Silo.Audit;
using Stoker.Tests.Api;
using Stoker.Tests.ControlPlane;
using Stoker.Tests.EndToEnd;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Security;

/// <summary>
/// The audit log (docs/security.md, "Audit log"): what a real silo records for mutating API requests, webhooks, agent
/// tokens and credential deliveries, at the Metadata level only; and the writer's file mode, rotation and bounds.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AuditLogTests
{
    private const string Gateway = $"{LeakContext.Namespace}/{LeakContext.CrName}/gw-a";

    [Fact]
    public async Task Silo_MutatingRequestsAndCredentialDeliveries_RecordedAtMetadataLevel_NoBodyNoToken()
    {
        await using var context = await LeakContext.StartAsync("audit");
        var token = LeakScenarios.Distinctive("audit-token");
        var server = context.OwnServer(await SmartHttpGitServer.StartAsync(context.CreateRepository(), ("x-access-token", token)));
        var secretFile = context.Temp.Combine("secret.yaml");
        await File.WriteAllTextAsync(secretFile, $"apiVersion: v1\nkind: Secret\nmetadata: {{name: git-token, namespace: {LeakContext.Namespace}}}\nstringData: {{token: \"{token}\"}}\n");
        var applied = await CliProcess.RunAsync(context.Silo.Address, ["apply", "-f", secretFile], statePath: context.Silo.StatePath);
        Assert.True(applied.ExitCode == 0, applied.Stdout + applied.Stderr);
        await context.ApplyAsync(LeakContext.Resource(server.UrlFor("site"), LeakContext.TokenAuth("git-token", "token")));
        await context.WaitForConditionAsync("RefResolved", "True");
        using (var patch = new HttpRequestMessage(HttpMethod.Patch, new Uri(LeakContext.ResourcePath, UriKind.Relative))
        {
            Content = new StringContent("{\"metadata\":{\"labels\":{\"audited\":\"yes\"}}}", Encoding.UTF8, "application/merge-patch+json"),
        })
        {
            patch.Headers.UserAgent.ParseAdd("audit-test/1.0");
            using var answer = await context.Silo.Http.SendAsync(patch);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await SitePushes.PushAsync(context.Silo.Http, LeakContext.Namespace, LeakContext.CrName, new string('a', 40), "wrong-hmac-secret"));
        using (var anonymous = await context.Silo.Anonymous.DeleteAsync(new Uri(LeakContext.ResourcePath, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        var agentToken = await context.Silo.MintAgentTokenFileAsync(Gateway, context.Temp.Combine("agent-token"));
        var credential = (await File.ReadAllTextAsync(agentToken)).Trim();

        // An agent's session asks for git credentials: given, and a caller that is not the session: refused.
        await using (var client = await AgentClientHost.StartAsync(context.Silo.GatewayPort, context.Silo.ClusterId, context.Silo.ServiceId, context.Silo.CaFile, credential: _ => credential))
        {
            var observer = client.Client.CreateObjectReference<IGatewayObserver>(new DesiredStateInbox(Serializers.DesiredState));
            var grain = client.Client.GetGrain<IGatewayAgentGrain>(Gateway);
            var session = await grain.Register(new AgentRegistration { AgentId = "audit", AgentVersion = "test", PodName = "gw-a-0" }, observer, null);
            var given = await Eventually.Until(() => grain.GetGitCredentials(session.Token), c => c.Error is null && c.AuthType == GitFetchCredentials.TokenType,
                TimeSpan.FromSeconds(30), "credentials once the gateway has its release\n" + context.Diagnostics());
            Assert.Equal(token, given.Password);
            await Assert.ThrowsAsync<CallRefusedException>(() => grain.GetGitCredentials("not-the-session"));

            var records = await Eventually.Until(() => Task.FromResult(ReadRecords(context.AuditLog)),
                r => r.Count(x => Resource(x) == AuditAnnotations.GitCredentialsResource) >= 2, TimeSpan.FromSeconds(10), "both credential records");
            var delivered = records.First(r => Resource(r) == AuditAnnotations.GitCredentialsResource && Annotation(r, AuditAnnotations.Outcome) == AuditAnnotations.Given);
            Assert.Equal("get", (string?)delivered["verb"]);
            Assert.Equal("stoker:agent:" + Gateway, (string?)delivered["user"]!["username"]);
            Assert.Equal((LeakContext.Namespace, LeakContext.CrName), ((string?)delivered["objectRef"]!["namespace"], (string?)delivered["objectRef"]!["name"]));
            Assert.Equal("token", Annotation(delivered, AuditAnnotations.AuthType));
            Assert.Equal(given.Fingerprint, Annotation(delivered, AuditAnnotations.Fingerprint));
            Assert.Equal(Gateway, Annotation(delivered, AuditAnnotations.Gateway));
            Assert.Contains(records, r => Resource(r) == AuditAnnotations.GitCredentialsResource && Annotation(r, AuditAnnotations.Outcome) == AuditAnnotations.Refused);
        }

        using (var revoke = await context.Silo.Http.DeleteAsync(new Uri("/api/v1/agent-tokens/" + Stoker.Silo.Security.AgentTokenCodec.ReadId(credential), UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        var lines = await Eventually.Until(() => Task.FromResult(File.ReadAllLines(context.AuditLog)), l => l.Any(x => x.Contains("\"verb\":\"delete\"", StringComparison.Ordinal) && x.Contains("agent-tokens", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "the revocation recorded");
        var all = lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.All(all, r => Assert.Equal("Metadata", (string?)r["level"]));
        Assert.All(all, r => Assert.Equal("audit.k8s.io/v1", (string?)r["apiVersion"]));

        var secret = Single(all, r => Resource(r) == "secrets" && (string?)r["verb"] is "create" or "patch" or "update");
        Assert.Equal("admin", (string?)secret["user"]!["username"]);
        Assert.Equal(["admin"], secret["user"]!["groups"]!.AsArray().Select(g => (string?)g));
        Assert.Equal("git-token", (string?)secret["objectRef"]!["name"]);
        Assert.Equal("127.0.0.1", (string?)secret["sourceIPs"]![0]);
        Assert.InRange((int)secret["responseStatus"]!["code"]!, 200, 201);

        var resource = Single(all, r => Resource(r) == "gatewaysyncs" && (string?)r["verb"] == "update");
        Assert.Equal(("stoker.io", LeakContext.Namespace, LeakContext.CrName),
            ((string?)resource["objectRef"]!["apiGroup"], (string?)resource["objectRef"]!["namespace"], (string?)resource["objectRef"]!["name"]));
        var patched = Single(all, r => Resource(r) == "gatewaysyncs" && (string?)r["verb"] == "patch");
        Assert.Equal("audit-test/1.0", (string?)patched["userAgent"]);
        var refusedDelete = Single(all, r => Resource(r) == "gatewaysyncs" && (string?)r["verb"] == "delete");
        Assert.Equal((401, AuditRecord.Anonymous), ((int)refusedDelete["responseStatus"]!["code"]!, (string?)refusedDelete["user"]!["username"]));
        var webhook = Single(all, r => (string?)r["objectRef"]?["subresource"] == "webhook");
        Assert.Equal(("post", 401, "gatewaysyncs", LeakContext.Namespace, LeakContext.CrName),
            ((string?)webhook["verb"], (int)webhook["responseStatus"]!["code"]!, Resource(webhook), (string?)webhook["objectRef"]!["namespace"], (string?)webhook["objectRef"]!["name"]));
        var minted = Single(all, r => (string?)r["requestURI"] == "/api/v1/agent-tokens" && (string?)r["verb"] == "post");
        Assert.Equal(201, (int)minted["responseStatus"]!["code"]!);

        // Metadata only: no body, no token, no Secret value, no Authorization header, in any form.
        var text = string.Join("\n", lines);
        foreach (var forbidden in new[] { token, credential, context.Silo.AdminToken.Token!, Convert.ToBase64String(Encoding.UTF8.GetBytes(token)).TrimEnd('='), "stringData", "audited" })
        {
            Assert.DoesNotContain(forbidden, text, StringComparison.Ordinal);
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(context.AuditLog));
    }

    [Fact]
    public void Writer_PastMaxFileBytes_RotatesKeepingMaxFiles_Each0600_EveryLineJson()
    {
        using var temp = new TempDirectory("audit-rotate");
        var path = temp.Combine("logs", "audit.log");
        using var writer = new AuditLogWriter(path, maxFileBytes: 4096, maxFiles: 2, NullLogger<AuditLogWriter>.Instance);
        for (var i = 0; i < 200; i++)
        {
            writer.Record(Sample(i.ToString(CultureInfo.InvariantCulture)));
        }

        Assert.Equal(["audit.log", "audit.log.1", "audit.log.2"], Directory.GetFiles(temp.Combine("logs")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in Directory.GetFiles(temp.Combine("logs")))
        {
            Assert.InRange(new FileInfo(file).Length, 1, 4096);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.All(File.ReadAllLines(file), l => Assert.Equal("Metadata", (string?)JsonNode.Parse(l)!["level"]));
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(temp.Combine("logs")));
        Assert.Contains("\"name\":\"n-199\"", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Writer_ExistingLooseFile_Tightened0600()
    {
        using var temp = new TempDirectory("audit-mode");
        var path = temp.Combine("audit.log");
        File.WriteAllText(path, "");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        using var writer = new AuditLogWriter(path, 1 << 20, 1, NullLogger<AuditLogWriter>.Instance);
        writer.Record(Sample("x"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Json_HostileStrings_BoundedAndUrlUserInfoHidden()
    {
        var line = AuditRecordJson.Format(Sample("x") with
        {
            UserAgent = new string('u', 100_000),
            RequestUri = "/webhook/ns/x?u=https://user:hunter2-password@example.com/repo",
            Groups = [.. Enumerable.Range(0, 1000).Select(i => "g" + i.ToString(CultureInfo.InvariantCulture))],
            Annotations = new Dictionary<string, string> { [AuditAnnotations.Error] = "ls-remote https://x-access-token:ghp_secret12345@github.com/o/r: failed\n" },
        }, "id");

        var record = JsonNode.Parse(line)!;
        Assert.DoesNotContain('\n', line);
        Assert.True(line.Length < 8 * 1024, $"{line.Length} characters");
        Assert.Equal(AuditRecordJson.MaxStringLength + 1, ((string?)record["userAgent"])!.Length);
        Assert.Equal(AuditRecordJson.MaxGroups, record["user"]!["groups"]!.AsArray().Count);
        Assert.DoesNotContain("hunter2-password", line, StringComparison.Ordinal);
        Assert.DoesNotContain("ghp_secret12345", line, StringComparison.Ordinal);
        Assert.Contains("https://***@github.com/o/r", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100, 5, "Stoker:Audit:MaxFileBytes: 100: must be between 4096 and 1073741824 bytes")]
    [InlineData(1L << 20, 0, "Stoker:Audit:MaxFiles: 0: must be between 1 and 100 (rotated files kept)")]
    [InlineData(1L << 20, 101, "Stoker:Audit:MaxFiles: 101: must be between 1 and 100 (rotated files kept)")]
    public void Validator_OutOfBounds_NamesSettingValueAndRule(long maxFileBytes, int maxFiles, string expected)
    {
        var result = new AuditOptionsValidator().Validate(null, new AuditOptions { MaxFileBytes = maxFileBytes, MaxFiles = maxFiles });
        Assert.Equal([expected], result.Failures);
    }

    [Fact]
    public void Validator_PathIsAFolderOrBlank_Refused_StandardOutputAccepted()
    {
        using var temp = new TempDirectory("audit-options");
        Assert.Contains("is a folder; name a file in it", Assert.Single(new AuditOptionsValidator().Validate(null, new AuditOptions { Path = temp.Path }).Failures!), StringComparison.Ordinal);
        Assert.Contains("must be a file path", Assert.Single(new AuditOptionsValidator().Validate(null, new AuditOptions { Path = " " }).Failures!), StringComparison.Ordinal);
        Assert.True(new AuditOptionsValidator().Validate(null, new AuditOptions { Path = AuditOptions.StandardOutput }).Succeeded);
    }

    private static AuditRecord Sample(string name) => new()
    {
        Received = TimeProvider.System.GetUtcNow(),
        Completed = TimeProvider.System.GetUtcNow(),
        Verb = "create",
        RequestUri = "/apis/stoker.io/v1alpha1/namespaces/ns/gatewaysyncs",
        User = "admin",
        Groups = ["admin"],
        SourceAddress = "127.0.0.1",
        ApiGroup = "stoker.io",
        Resource = "gatewaysyncs",
        Namespace = "ns",
        Name = "n-" + name,
        Code = 201,
    };

    private static List<JsonObject> ReadRecords(string path) =>
        File.Exists(path) ? [.. File.ReadAllLines(path).Select(l => JsonNode.Parse(l)!.AsObject())] : [];

    private static string? Resource(JsonObject record) => (string?)record["objectRef"]?["resource"];

    private static string? Annotation(JsonObject record, string key) => (string?)record["annotations"]?[key];

    private static JsonObject Single(List<JsonObject> records, Func<JsonObject, bool> match)
    {
        var found = records.Where(match).ToList();
        Assert.True(found.Count >= 1, "no such record in\n" + string.Join("\n", records.Select(r => r.ToJsonString())));
        return found[0];
    }
}
