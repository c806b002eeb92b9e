using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Hosting.Kubernetes;
using Stoker.AgentClient.Ignition;
using Stoker.AgentClient.Runtime;
using Stoker.Grains.Interfaces.Git;
using Stoker.Silo.Admission;
using Stoker.Silo.Api;
using Stoker.Silo.Dashboard;
using Stoker.Silo.Hosting;
using Stoker.Silo.Kubernetes;
using Stoker.Silo.Persistence;
using Stoker.Silo.Webhooks;
using Stoker.Sync.Git;

namespace Stoker.Tests.Kubernetes;

/// <summary>The silo's settings as its container gets them, bound and validated by the silo's own code.</summary>
internal sealed record SiloSettings(
    StokerSiloOptions Silo,
    StokerStorageOptions Storage,
    WebhookReceiverOptions Webhook,
    DashboardOptions Dashboard,
    ManifestsOptions Manifests,
    StokerKubernetesOptions Kubernetes,
    AdmissionOptions Admission,
    bool JsonLogs)
{
    private const string JsonLogsKey = "Stoker:JsonLogs";

    /// <summary>The variables Orleans' Kubernetes hosting reads (the pod's identity), besides the silo's own settings.</summary>
    public static readonly IReadOnlySet<string> HostingVariables = new HashSet<string>(StringComparer.Ordinal)
    {
        KubernetesHostingOptions.PodNameEnvironmentVariable,
        KubernetesHostingOptions.PodNamespaceEnvironmentVariable,
        KubernetesHostingOptions.PodIPEnvironmentVariable,
        KubernetesHostingOptions.ClusterIdEnvironmentVariable,
        KubernetesHostingOptions.ServiceIdEnvironmentVariable,
    };

    private static readonly Dictionary<string, Type> Sections = new(StringComparer.OrdinalIgnoreCase)
    {
        [StokerSiloOptions.SectionName] = typeof(StokerSiloOptions),
        [StokerStorageOptions.SectionName] = typeof(StokerStorageOptions),
        [WebhookReceiverOptions.SectionName] = typeof(WebhookReceiverOptions),
        [DashboardOptions.SectionName] = typeof(DashboardOptions),
        [ManifestsOptions.SectionName] = typeof(ManifestsOptions),
        [StokerKubernetesOptions.SectionName] = typeof(StokerKubernetesOptions),
        [AdmissionOptions.SectionName] = typeof(AdmissionOptions),
    };

    /// <summary>
    /// Binds the environment as the silo's configuration does (environment variables, '__' for ':'), refusing names
    /// that are no setting and values the binder cannot convert, then runs the silo's validators. Container paths
    /// (the manifests folder) are checked where <paramref name="hostPath"/> puts them.
    /// </summary>
    public static SiloSettings? Bind(IReadOnlyDictionary<string, string> environment, Func<string, string?> hostPath, out IReadOnlyList<string> problems)
    {
        var found = new List<string>();
        problems = found;
        foreach (var name in environment.Keys)
        {
            if (!name.StartsWith("Stoker__", StringComparison.OrdinalIgnoreCase) && !HostingVariables.Contains(name))
            {
                found.Add($"{name}: not a setting of the silo (its settings are Stoker__<Section>__<Name>, besides {string.Join(", ", HostingVariables)})");
            }
        }

        // What EnvironmentVariablesConfigurationProvider does with each variable: '__' becomes the key delimiter.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(environment.Select(p => KeyValuePair.Create(p.Key.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal), (string?)p.Value)))
            .Build();
        foreach (var child in configuration.GetSection("Stoker").GetChildren())
        {
            if (!Sections.ContainsKey(child.Path) && !string.Equals(child.Path, JsonLogsKey, StringComparison.OrdinalIgnoreCase))
            {
                found.Add($"{child.Path}: no such section or setting of the silo (known: {string.Join(", ", Sections.Keys.Append(JsonLogsKey))})");
            }
        }

        T BindSection<T>(string section)
            where T : class, new()
        {
            try
            {
                return configuration.GetSection(section).Get<T>(o => o.ErrorOnUnknownConfiguration = true) ?? new T();
            }
            catch (InvalidOperationException e)
            {
                found.Add($"{section}: {e.Message}{(e.InnerException is { } inner ? " " + inner.Message : "")}");
                return new T();
            }
        }

        var silo = BindSection<StokerSiloOptions>(StokerSiloOptions.SectionName);
        var storage = BindSection<StokerStorageOptions>(StokerStorageOptions.SectionName);
        var webhook = BindSection<WebhookReceiverOptions>(WebhookReceiverOptions.SectionName);
        var dashboard = BindSection<DashboardOptions>(DashboardOptions.SectionName);
        var manifests = BindSection<ManifestsOptions>(ManifestsOptions.SectionName);
        var kubernetes = BindSection<StokerKubernetesOptions>(StokerKubernetesOptions.SectionName);
        var admission = BindSection<AdmissionOptions>(AdmissionOptions.SectionName);
        var jsonLogs = false;
        if (configuration[JsonLogsKey] is { } text && !bool.TryParse(text, out jsonLogs))
        {
            found.Add($"{JsonLogsKey}: \"{text}\": must be true or false");
        }

        Validate(found, new StokerSiloOptionsValidator(), silo);
        Validate(found, new StokerStorageOptionsValidator(), storage);
        Validate(found, new WebhookReceiverOptionsValidator(), webhook);
        Validate(found, new StokerKubernetesOptionsValidator(), kubernetes);
        Validate(found, new AdmissionOptionsValidator(), admission);
        foreach (var (setting, pemFile) in new[] { ("CertificatePath", admission.CertificatePath), ("KeyPath", admission.KeyPath) })
        {
            if (pemFile is { Length: > 0 } && (hostPath(pemFile) is not { } onHost || !File.Exists(onHost)))
            {
                found.Add($"{AdmissionOptions.SectionName}:{setting}: \"{pemFile}\": not a file on a volume the container mounts");
            }
        }

        foreach (var (setting, pemFile) in new[] { ("CertificateFile", silo.Tls.CertificateFile), ("KeyFile", silo.Tls.KeyFile), ("CaFile", silo.Tls.CaFile) })
        {
            if (pemFile is { Length: > 0 } && (hostPath(pemFile) is not { } onHost || !File.Exists(onHost)))
            {
                found.Add($"{Stoker.Silo.Transport.SiloTlsOptions.SectionName}:{setting}: \"{pemFile}\": not a file on a volume the container mounts");
            }
        }

        try
        {
            OrleansKubernetesHosting.CheckClusterIdentity(silo, v => environment.GetValueOrDefault(v));
        }
        catch (InvalidOperationException e)
        {
            found.Add(e.Message);
        }
        if (manifests.Path is { Length: > 0 } path)
        {
            if (hostPath(path) is { } local)
            {
                Validate(found, new ManifestsOptionsValidator(), new ManifestsOptions { Path = local, Debounce = manifests.Debounce, RescanInterval = manifests.RescanInterval });
            }
            else
            {
                found.Add($"{ManifestsOptions.SectionName}:Path: \"{path}\": not on a volume the container mounts");
            }
        }
        else
        {
            Validate(found, new ManifestsOptionsValidator(), manifests);
        }

        return found.Count == 0 ? new SiloSettings(silo, storage, webhook, dashboard, manifests, kubernetes, admission, jsonLogs) : null;
    }

    /// <summary><see cref="Bind"/>, throwing with every problem when there are any.</summary>
    public static SiloSettings BindOrThrow(IReadOnlyDictionary<string, string> environment, Func<string, string?> hostPath) =>
        Bind(environment, hostPath, out var problems) ?? throw new InvalidOperationException("the silo's settings:\n" + string.Join("\n", problems));

    private static void Validate<T>(List<string> problems, IValidateOptions<T> validator, T options)
        where T : class
    {
        if (validator.Validate(Options.DefaultName, options) is { Failed: true } result)
        {
            problems.AddRange(result.Failures);
        }
    }
}

/// <summary>The agent's settings as its container gets them, read and validated by <c>stoker-agent run</c>'s own code.</summary>
internal sealed record AgentSettings(AgentOptions Agent, IgnitionClientOptions Ignition, GitCredentials? GitCredentials)
{
    /// <summary>
    /// Reads the environment as <c>stoker-agent run</c> does (<see cref="AgentOptions.Parse"/>, which reads the
    /// Ignition client's settings too), refusing names it does not read. Container paths are read
    /// where <paramref name="files"/> laid the container's mounts out; the work and data folders must be on writable
    /// volumes (the root filesystem is read-only) and the files the agent reads must be on mounted volumes.
    /// </summary>
    public static AgentSettings? Read(IReadOnlyDictionary<string, string> environment, PodFileSystem files, out IReadOnlyList<string> problems)
    {
        var found = new List<string>();
        problems = found;
        var known = AgentOptions.Settings.Select(s => s.Variable).ToHashSet(StringComparer.Ordinal);
        foreach (var name in environment.Keys.Where(n => !known.Contains(n)))
        {
            found.Add($"{name}: not a setting of stoker-agent run (see stoker-agent run --help)");
        }

        foreach (var variable in new[] { "REPO_PATH", "DATA_PATH" })
        {
            var path = environment.GetValueOrDefault(variable) ?? (variable == "REPO_PATH" ? new AgentOptions().RepoPath : new AgentOptions().DataPath);
            if (files.MountOf(path) is not { } mount || mount.ReadOnly || mount.VolumeKind is "configMap" or "secret" or "projected")
            {
                found.Add($"{variable}: \"{path}\": must be on a writable volume (the container's root filesystem is read-only)");
            }
        }

        foreach (var variable in new[] { "API_KEY_FILE", "GIT_TOKEN_FILE", "IGNITION_CA_FILE" })
        {
            if (environment.TryGetValue(variable, out var path) && files.HostPath(path) is null)
            {
                found.Add($"{variable}: \"{path}\": not on a volume the container mounts");
            }
        }

        var local = files.MapPaths(environment);
        string? Variable(string name) => local.GetValueOrDefault(name);
        var agent = AgentOptions.Parse(Variable, out var errors);
        found.AddRange(errors);

        GitCredentials? git = null;
        if (Variable("GIT_TOKEN_FILE") is { } tokenFile && files.HostPath(environment["GIT_TOKEN_FILE"]) is not null)
        {
            try
            {
                git = GitTokenFile.Read(tokenFile);
            }
            catch (GitCheckoutException e)
            {
                found.Add($"GIT_TOKEN_FILE: \"{environment["GIT_TOKEN_FILE"]}\": {e.Message}");
            }
        }

        return found.Count == 0 ? new AgentSettings(agent, agent.Ignition, git) : null;
    }

    /// <summary><see cref="Read"/>, throwing with every problem when there are any.</summary>
    public static AgentSettings ReadOrThrow(IReadOnlyDictionary<string, string> environment, PodFileSystem files) =>
        Read(environment, files, out var problems) ?? throw new InvalidOperationException("the agent's settings:\n" + string.Join("\n", problems));
}
