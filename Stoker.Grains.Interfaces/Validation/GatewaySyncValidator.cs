using System.Text.RegularExpressions;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Templating;

namespace Stoker.Grains.Interfaces.Validation;

/// <summary>
/// The rules the CRD schema cannot express (docs/resource-reference.md), checked on the raw,
/// un-templated spec. One validator serves the <c>ProfilesValid</c> condition, the validating admission
/// webhook, the local apply API and <c>stoker-agent sync</c>. Profiles are visited in ordinal name order so
/// the report is deterministic.
/// </summary>
public static partial class GatewaySyncValidator
{
    public static IReadOnlyList<ResourceViolation> Validate(GatewaySync resource)
    {
        var violations = new List<ResourceViolation>();
        if (string.IsNullOrEmpty(resource.Metadata.Name))
        {
            violations.Add(new("metadata.name", null, "Required value"));
        }

        ValidateRefs(resource, violations);
        ValidateGit(resource.Spec.Git, violations);
        ValidatePolling(resource.Spec.Polling, violations);
        ValidateGateway(resource.Spec.Gateway, violations);
        ValidateAgent(resource.Spec.Agent, violations);
        violations.AddRange(ValidateProfiles(resource.Spec.Sync));
        return violations;
    }

    /// <summary>The checks behind <c>ProfilesValid</c>: vars keys, mapping paths, patches, template syntax.</summary>
    public static IReadOnlyList<ResourceViolation> ValidateProfiles(SyncSpec sync)
    {
        var violations = new List<ResourceViolation>();
        const string syncPath = "spec.sync";
        if (sync.Defaults is { } defaults)
        {
            var defaultsPath = FieldPath.Child(syncPath, "defaults");
            ValidateVars(defaults.Vars, FieldPath.Child(defaultsPath, "vars"), violations);
            ValidateExcludes(defaults.ExcludePatterns, FieldPath.Child(defaultsPath, "excludePatterns"), violations);
        }

        var profilesPath = FieldPath.Child(syncPath, "profiles");
        // Null entries are schema violations already; they are skipped here rather than dereferenced.
        foreach (var (name, profile) in sync.Profiles.Where(p => p.Value is not null).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var profilePath = FieldPath.Child(profilesPath, name);
            if (string.IsNullOrWhiteSpace(name))
            {
                violations.Add(new(profilePath, Quote(name), "profile names must not be empty"));
            }

            ValidateVars(profile.Vars, FieldPath.Child(profilePath, "vars"), violations);
            ValidateExcludes(profile.ExcludePatterns, FieldPath.Child(profilePath, "excludePatterns"), violations);
            for (var i = 0; i < profile.Mappings.Count; i++)
            {
                if (profile.Mappings[i] is { } mapping)
                {
                    ValidateMapping(mapping, FieldPath.Index(FieldPath.Child(profilePath, "mappings"), i), violations);
                }
            }
        }

        return violations;
    }

    /// <summary>
    /// The ref and a requested ref travel into ls-remote, status, annotations and logs: both must be names git itself
    /// accepts (docs/security.md), the same rule the webhook receiver applies to the refs it is sent.
    /// </summary>
    private static void ValidateRefs(GatewaySync resource, List<ResourceViolation> violations)
    {
        if (resource.Spec.Git.Ref is { Length: > 0 } gitRef && !GitRefFormat.IsValid(gitRef, out var rule))
        {
            violations.Add(new("spec.git.ref", Quote(gitRef), "must be a valid git ref name: " + rule));
        }

        if (resource.Metadata.Annotations?.GetValueOrDefault(Annotations.RequestedRef) is { Length: > 0 } requested
            && !GitRefFormat.IsValid(requested, out var requestedRule))
        {
            violations.Add(new(FieldPath.Child("metadata.annotations", Annotations.RequestedRef), Quote(requested), "must be a valid git ref name: " + requestedRule));
        }
    }

    private static void ValidateGit(GitSpec git, List<ResourceViolation> violations)
    {
        const string authPath = "spec.git.auth";
        if (git.Auth is not { } auth)
        {
            return;
        }

        var methods = new[] { ("sshKey", auth.SshKey is not null), ("githubApp", auth.GithubApp is not null), ("token", auth.Token is not null) }
            .Where(m => m.Item2).Select(m => m.Item1).ToList();
        if (methods.Count > 1)
        {
            violations.Add(new(authPath, "{" + string.Join(", ", methods) + "}", "set at most one of sshKey, githubApp, token"));
        }

        if (auth.GithubApp is { } app)
        {
            var appPath = FieldPath.Child(authPath, "githubApp");
            if (app.AppId <= 0)
            {
                violations.Add(new(FieldPath.Child(appPath, "appId"), app.AppId.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be a positive GitHub App ID"));
            }

            if (app.InstallationId <= 0)
            {
                violations.Add(new(FieldPath.Child(appPath, "installationId"), app.InstallationId.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be a positive installation ID"));
            }

            if (!string.IsNullOrEmpty(app.ApiBaseUrl)
                && (!Uri.TryCreate(app.ApiBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")))
            {
                violations.Add(new(FieldPath.Child(appPath, "apiBaseURL"), Quote(app.ApiBaseUrl), "must be an absolute http(s) URL such as https://github.example.com/api/v3"));
            }
        }
    }

    private static void ValidatePolling(PollingSpec? polling, List<ResourceViolation> violations)
    {
        if (polling is not null && !GoDuration.TryParse(polling.Interval, out _))
        {
            violations.Add(new("spec.polling.interval", Quote(polling.Interval), "must be a duration such as 30s, 5m or 1h30m (units ns, us, ms, s, m, h)"));
        }
    }

    private static void ValidateGateway(GatewaySpec gateway, List<ResourceViolation> violations)
    {
        if (gateway.Port is < 1 or > 65535)
        {
            violations.Add(new("spec.gateway.port", gateway.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be a TCP port between 1 and 65535"));
        }
    }

    private static void ValidateAgent(AgentSpec? agent, List<ResourceViolation> violations)
    {
        if (agent?.Image?.PullPolicy is { Length: > 0 } policy && policy is not ("Always" or "IfNotPresent" or "Never"))
        {
            violations.Add(new("spec.agent.image.pullPolicy", Quote(policy), "must be one of \"Always\", \"IfNotPresent\", \"Never\""));
        }
    }

    private static void ValidateVars(IReadOnlyDictionary<string, string>? vars, string path, List<ResourceViolation> violations)
    {
        foreach (var key in (vars?.Keys ?? []).Where(k => !Identifier().IsMatch(k)).Order(StringComparer.Ordinal))
        {
            violations.Add(new(FieldPath.Child(path, key), Quote(key),
                "var keys must be identifiers (letters, digits and underscores, not starting with a digit; dashes are not supported in template variable names)"));
        }
    }

    private static void ValidateExcludes(IReadOnlyList<string>? patterns, string path, List<ResourceViolation> violations)
    {
        for (var i = 0; i < (patterns?.Count ?? 0); i++)
        {
            if (string.IsNullOrWhiteSpace(patterns![i]))
            {
                violations.Add(new(FieldPath.Index(path, i), Quote(patterns[i]), "exclude patterns must not be empty"));
            }
        }
    }

    private static void ValidateMapping(Mapping mapping, string path, List<ResourceViolation> violations)
    {
        ValidateRelativePath(mapping.Source, FieldPath.Child(path, "source"), violations);
        ValidateRelativePath(mapping.Destination, FieldPath.Child(path, "destination"), violations);
        for (var p = 0; p < (mapping.Patches?.Count ?? 0); p++)
        {
            if (mapping.Patches![p] is not { } patch)
            {
                continue;
            }

            var patchPath = FieldPath.Index(FieldPath.Child(path, "patches"), p);
            if (!string.IsNullOrEmpty(patch.File))
            {
                CheckNoEscape(patch.File, FieldPath.Child(patchPath, "file"), violations);
            }

            foreach (var (key, value) in patch.Set.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                var setPath = FieldPath.Child(FieldPath.Child(patchPath, "set"), key);
                if (string.IsNullOrWhiteSpace(key))
                {
                    violations.Add(new(setPath, Quote(key), "patch paths must not be empty"));
                }

                CheckTemplate(value, setPath, violations);
            }
        }
    }

    private static void ValidateRelativePath(string value, string path, List<ResourceViolation> violations)
    {
        if (CheckNoEscape(value, path, violations))
        {
            CheckTemplate(value, path, violations);
        }
    }

    /// <summary>Absolute paths and <c>..</c> segments could leave the repository or the data directory.</summary>
    private static bool CheckNoEscape(string value, string path, List<ResourceViolation> violations)
    {
        if (value.StartsWith('/') || value.StartsWith('\\') || DriveLetter().IsMatch(value))
        {
            violations.Add(new(path, Quote(value), "absolute paths not allowed"));
            return false;
        }

        if (value.Split('/', '\\').Any(segment => segment == ".."))
        {
            violations.Add(new(path, Quote(value), "path traversal (..) not allowed"));
            return false;
        }

        return true;
    }

    private static void CheckTemplate(string value, string path, List<ResourceViolation> violations)
    {
        if (!GoTemplate.NeedsRendering(value))
        {
            return;
        }

        try
        {
            GoTemplate.Parse(value, path);
        }
        catch (TemplateParseException e)
        {
            violations.Add(new(path, Quote(value), "invalid template: " + e.Message));
        }
    }

    private static string Quote(string value) => StructuralValidator.Render(System.Text.Json.Nodes.JsonValue.Create(value));

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();

    [GeneratedRegex("^[A-Za-z]:", RegexOptions.CultureInvariant)]
    private static partial Regex DriveLetter();
}
