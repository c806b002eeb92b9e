using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Stoker.Sync.Git;
using Stoker.Sync;
using Stoker.Grains.Interfaces.Messages;
using Stoker.Grains.Interfaces.Profiles;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;

namespace Stoker.AgentClient.Cli;

/// <summary>
/// <c>stoker-agent sync</c>: one sync from a resource file, without a control plane. Reads and validates the
/// resource, picks the profile, fetches the ref into the work directory, syncs the data directory, and prints
/// the report as JSON on stdout (logs go to stderr). Exit 0 on success, 1 when the fetch or sync fails, 2 for
/// invalid arguments or an invalid resource.
/// </summary>
public static class SyncCommand
{
    public const string Name = "sync";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private static readonly Option<FileInfo> ResourceOption = new("--resource")
    {
        Description = "GatewaySync resource file (YAML or JSON), as given to kubectl apply.",
        Required = true,
    };

    private static readonly Option<string?> ProfileOption = new("--profile")
    {
        Description = "Profile to sync. Default: the resource's \"default\" profile.",
    };

    private static readonly Option<string?> RepoOption = new("--repo")
    {
        Description = "Repository: a local path or a URL (https, http, file, git, ssh). Default: the resource's spec.git.repo.",
    };

    private static readonly Option<string?> RefOption = new("--ref")
    {
        Description = "Branch, tag or full commit id. Default: the resource's spec.git.ref.",
    };

    private static readonly Option<DirectoryInfo> DataOption = new("--data")
    {
        Description = "The gateway's data directory to sync. Nothing is written outside it.",
        Required = true,
    };

    private static readonly Option<DirectoryInfo?> WorkOption = new("--work")
    {
        Description = "Work directory for the clone and the sync manifest; reuse it between runs to fetch and sync incrementally. "
            + "Default: a temporary directory removed afterwards (every run then clones and compares everything).",
    };

    private static readonly Option<string?> GatewayNameOption = new("--gateway-name")
    {
        Description = "{{.GatewayName}}. Default: the pod name.",
    };

    private static readonly Option<string?> PodNameOption = new("--pod-name")
    {
        Description = "{{.PodName}}; its trailing -N also gives {{.PodOrdinal}}. Default: the host name.",
    };

    private static readonly Option<string?> NamespaceOption = new("--namespace")
    {
        Description = "{{.Namespace}}. Default: the resource's metadata.namespace, else \"default\".",
    };

    private static readonly Option<string[]> LabelOption = new("--label")
    {
        Description = "A pod label k=v for {{.Labels.k}} (repeatable); apps.kubernetes.io/pod-index sets {{.PodOrdinal}}.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private static readonly Option<string[]> VarOption = new("--var")
    {
        Description = "A template variable k=v (repeatable); overrides the profile's vars of the same name.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private static readonly Option<FileInfo?> TokenFileOption = new("--token-file")
    {
        Description = "File holding an HTTPS access token (sent as user x-access-token). Default: $GIT_TOKEN_FILE when set.",
    };

    private static readonly Option<FileInfo?> SshKeyFileOption = new("--ssh-key-file")
    {
        Description = "File holding an SSH private key without passphrase, for ssh:// and scp-like repositories (SSH wins over a token). Default: $GIT_SSH_KEY_FILE when set.",
    };

    private static readonly Option<FileInfo?> KnownHostsFileOption = new("--known-hosts-file")
    {
        Description = "OpenSSH known_hosts for the git server: strict host-key checking. Without it any host key is accepted. Default: $GIT_KNOWN_HOSTS_FILE when set.",
    };

    private static readonly Option<bool> DryRunOption = new("--dry-run")
    {
        Description = "Compute what would be added, modified and deleted; write nothing. Also on when the profile says dryRun.",
    };

    /// <summary>Runs the command; <paramref name="args"/> starts with <c>sync</c>.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        var command = new Command(Name, "Sync a gateway data directory from Git once, without a control plane; prints the report as JSON.")
        {
            ResourceOption, ProfileOption, RepoOption, RefOption, DataOption, WorkOption, GatewayNameOption, PodNameOption,
            NamespaceOption, LabelOption, VarOption, TokenFileOption, SshKeyFileOption, KnownHostsFileOption, DryRunOption,
        };
        var exitCode = ExitCodes.Success;
        command.SetAction(parsed => exitCode = Execute(parsed, stdout, stderr));
        var root = new RootCommand("Stoker agent") { command };
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                stderr.WriteLine($"error: {error.Message}");
            }

            stderr.WriteLine("Run 'stoker-agent sync --help' for usage.");
            return ExitCodes.InvalidInput;
        }

        var invoked = result.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return invoked != 0 ? invoked : exitCode;
    }

    private static int Execute(ParseResult parsed, TextWriter stdout, TextWriter stderr)
    {
        var errors = new List<string>();
        var labels = KeyValueArguments.Parse("--label", parsed.GetValue(LabelOption), errors);
        var vars = KeyValueArguments.Parse("--var", parsed.GetValue(VarOption), errors);
        var resourceFile = parsed.GetValue(ResourceOption)!;
        string? text = null;
        try
        {
            text = ResourceFile.ReadAllText(resourceFile.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"--resource {resourceFile}: cannot read: {e.Message}");
        }
        catch (ResourceFormatException e)
        {
            errors.Add($"--resource {resourceFile}: {e.Message}");
        }

        if (errors.Count > 0)
        {
            return Invalid(stderr, errors);
        }

        var parse = GatewaySyncSerializer.Parse(text!);
        if (!parse.IsValid)
        {
            stderr.WriteLine($"error: invalid resource {resourceFile}:");
            foreach (var violation in parse.Violations)
            {
                stderr.WriteLine($"  {violation}");
            }

            return ExitCodes.InvalidInput;
        }

        var resource = parse.Resource;
        var selection = ProfileResolver.Select(resource.Spec.Sync, parsed.GetValue(ProfileOption));
        if (!selection.Succeeded)
        {
            return Invalid(stderr, [$"--profile: {selection.Error}"]);
        }

        var profile = WithVars(selection.Profile!, vars);
        var repo = parsed.GetValue(RepoOption) ?? resource.Spec.Git.Repo;
        var gitRef = parsed.GetValue(RefOption) ?? resource.Spec.Git.Ref;
        var podName = parsed.GetValue(PodNameOption) ?? Environment.MachineName;
        var context = new TemplateContext
        {
            GatewayName = parsed.GetValue(GatewayNameOption) ?? podName,
            PodName = podName,
            PodOrdinal = TemplateContext.OrdinalOf(podName, labels),
            Namespace = parsed.GetValue(NamespaceOption) ?? resource.Metadata.Namespace ?? ObjectMeta.DefaultNamespace,
            Ref = gitRef,
            CRName = resource.Metadata.Name ?? "",
            Labels = labels,
            Vars = profile.Vars,
        };
        var report = new SyncCommandReport
        {
            Status = SyncCommandReport.Error,
            Ref = gitRef,
            Profile = selection.Name,
            GatewayName = context.GatewayName,
        };

        if (profile.Paused)
        {
            return Print(stdout, report with { Status = SyncCommandReport.Paused }, ExitCodes.Success);
        }

        var tokenFile = parsed.GetValue(TokenFileOption)?.FullName ?? Environment.GetEnvironmentVariable("GIT_TOKEN_FILE");
        var sshKeyFile = parsed.GetValue(SshKeyFileOption)?.FullName ?? Environment.GetEnvironmentVariable("GIT_SSH_KEY_FILE");
        var knownHostsFile = parsed.GetValue(KnownHostsFileOption)?.FullName ?? Environment.GetEnvironmentVariable("GIT_KNOWN_HOSTS_FILE");
        var dryRun = parsed.GetValue(DryRunOption) || profile.DryRun;
        var work = parsed.GetValue(WorkOption)?.FullName;
        var temporaryWork = work is null ? Directory.CreateTempSubdirectory("stoker-agent-").FullName : null;
        // stdout carries only the JSON report, so every log line goes to stderr.
        using var loggers = LoggerFactory.Create(builder => builder
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddFilter("Microsoft", LogLevel.Warning));
        var logger = loggers.CreateLogger(typeof(SyncCommand).FullName!);
        GitCheckout? checkout = null;
        try
        {
            var credentials = !string.IsNullOrEmpty(sshKeyFile) ? GitKeyFiles.Read(sshKeyFile, knownHostsFile)
                : string.IsNullOrEmpty(tokenFile) ? null : GitTokenFile.ReadForFetch(tokenFile);
            checkout = new GitCheckout(work ?? temporaryWork!, repo, loggers.CreateLogger<GitCheckout>());
            report = report with { Repo = checkout.RedactedRemote };
            var commit = checkout.Fetch(gitRef, credentials);
            using var tree = checkout.Open(commit);
            var engine = new SyncEngine(TimeProvider.System, loggers.CreateLogger<SyncEngine>());
            var result = engine.Run(new SyncRequest
            {
                Source = tree,
                DataDirectory = parsed.GetValue(DataOption)!.FullName,
                Profile = profile,
                Context = context with { Commit = commit },
                DryRun = dryRun,
                StateDirectory = Path.Join(work ?? temporaryWork!, "state"),
            });
            return Print(stdout, SyncCommandReport.From(result) with { Repo = report.Repo, Ref = gitRef, Profile = selection.Name, GatewayName = context.GatewayName }, ExitCodes.Success);
        }
        catch (Exception e) when (e is SyncException or GitCheckoutException)
        {
            logger.LogError("sync failed: {Error}", e.Message);
            return Print(stdout, report with { ErrorMessage = e.Message }, ExitCodes.SyncFailed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or LibGit2Sharp.LibGit2SharpException)
        {
            var message = $"{e.GetType().Name}: {GitCheckout.Redact(e.Message)}";
            logger.LogError("sync failed: {Error}", message);
            return Print(stdout, report with { ErrorMessage = message }, ExitCodes.SyncFailed);
        }
        finally
        {
            if (temporaryWork is not null)
            {
                TryDeleteDirectory(temporaryWork);
            }
        }
    }

    /// <summary><c>--var</c> wins over the profile's merged vars.</summary>
    private static ResolvedProfile WithVars(ResolvedProfile profile, IReadOnlyDictionary<string, string> overrides)
    {
        if (overrides.Count == 0)
        {
            return profile;
        }

        var vars = new SortedDictionary<string, string>(profile.Vars.ToDictionary(), StringComparer.Ordinal);
        foreach (var (key, value) in overrides)
        {
            vars[key] = value;
        }

        return profile with { Vars = vars };
    }

    private static int Invalid(TextWriter stderr, IEnumerable<string> errors)
    {
        foreach (var error in errors)
        {
            stderr.WriteLine($"error: {error}");
        }

        return ExitCodes.InvalidInput;
    }

    private static int Print(TextWriter stdout, SyncCommandReport report, int exitCode)
    {
        stdout.WriteLine(JsonSerializer.Serialize(report, JsonOptions));
        return exitCode;
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temporary clone left behind is harmless.
        }
    }
}
