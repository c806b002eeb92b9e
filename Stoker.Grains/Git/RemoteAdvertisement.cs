using System.Runtime.Versioning;
using LibGit2Sharp;
using Stoker.Git;
using Stoker.Grains.Interfaces.Git;

namespace Stoker.Grains.Git;

/// <summary>One blocking <c>ls-remote</c>: the remote's references as (name, target SHA) pairs, peeled entries included.</summary>
internal static class RemoteAdvertisement
{
    public static IReadOnlyList<KeyValuePair<string, string>> List(RefResolveRequest request, string shownUrl)
    {
        var credentials = request.Credentials;
        var password = credentials?.Password;
        try
        {
            if (SshUrl.IsSsh(request.RepoUrl))
            {
                if (OperatingSystem.IsWindows())
                {
                    throw new RefResolutionException($"ls-remote {shownUrl}: SSH remotes are not supported on Windows");
                }

                return ListOverSsh(request.RepoUrl, credentials, shownUrl);
            }

            var url = request.RepoUrl;
            if (TrySplitUserInfo(url, out var bareUrl, out var urlUser, out var urlPassword))
            {
                // Credentials never travel inside the URL handed to libgit2 (its messages could echo it); explicit
                // credentials win over the URL's.
                url = bareUrl;
                if (password is null)
                {
                    password = urlPassword;
                    credentials = new GitCredentials { Username = urlUser, Password = urlPassword };
                }
            }

            if (IsMissingLocalPath(url))
            {
                throw new RefResolutionException($"ls-remote {shownUrl}: no repository at this local path (it does not exist)");
            }

            var offered = new SingleAttemptCredentials(credentials?.EffectiveUsername ?? GitCredentials.TokenUsername, credentials?.Password);
            return ToPairs(Repository.ListRemoteReferences(url, offered.ForOperation()));
        }
        catch (Exception e) when (e is LibGit2SharpException or IOException or UnauthorizedAccessException)
        {
            throw new RefResolutionException($"ls-remote {shownUrl}: {Clean(e.Message, password)}");
        }
    }

    [UnsupportedOSPlatform("windows")]
    private static IReadOnlyList<KeyValuePair<string, string>> ListOverSsh(string url, GitCredentials? credentials, string shownUrl)
    {
        var keyPath = credentials?.SshPrivateKeyPath;
        var knownHostsPath = credentials?.KnownHostsPath;
        if (!string.IsNullOrEmpty(keyPath) && !File.Exists(keyPath))
        {
            throw new RefResolutionException($"SSH private key file \"{keyPath}\" does not exist");
        }

        if (!string.IsNullOrEmpty(knownHostsPath) && !File.Exists(knownHostsPath))
        {
            throw new RefResolutionException($"SSH known_hosts file \"{knownHostsPath}\" does not exist");
        }

        using var wrapper = SshWrapper.Create(
            credentials?.SshPrivateKey ?? (string.IsNullOrEmpty(keyPath) ? null : File.ReadAllText(keyPath)),
            credentials?.KnownHosts ?? (string.IsNullOrEmpty(knownHostsPath) ? null : File.ReadAllText(knownHostsPath)),
            LsRemoteTimeout.Duration);
        try
        {
            using var scratch = new Repository(wrapper.ScratchRepository);
            return ToPairs(scratch.Network.ListReferences(url));
        }
        catch (LibGit2SharpException e)
        {
            // libgit2 does not read ssh's stderr, which holds the actual reason (host key, permission denied, …).
            var reason = wrapper.ReadSshErrors();
            var message = reason.Length == 0 ? e.Message : $"{e.Message}: {reason}";
            throw new RefResolutionException($"ls-remote {shownUrl}: {Clean(message, password: null)}");
        }
    }

    private static List<KeyValuePair<string, string>> ToPairs(IEnumerable<Reference> references) =>
        references
            .OfType<DirectReference>()
            .Select(static r => KeyValuePair.Create(r.CanonicalName, r.TargetIdentifier))
            .ToList();

    private static bool TrySplitUserInfo(string url, out string bareUrl, out string? user, out string? password)
    {
        bareUrl = url;
        user = null;
        password = null;
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd < 0 ? string.Empty : url[..schemeEnd];
        if (!scheme.Equals("http", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("https", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var authorityStart = schemeEnd + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        var authority = authorityEnd < 0 ? url[authorityStart..] : url[authorityStart..authorityEnd];
        var at = authority.LastIndexOf('@');
        if (at < 0)
        {
            return false;
        }

        var parts = authority[..at].Split(':', 2);
        user = Uri.UnescapeDataString(parts[0]);
        password = parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : null;
        if (password is null)
        {
            // A lone user name over HTTP is a token (GitHub accepts a token as the user name).
            password = user;
            user = GitCredentials.TokenUsername;
        }

        bareUrl = url[..authorityStart] + url[(authorityStart + at + 1)..];
        return true;
    }

    private static bool IsMissingLocalPath(string url) =>
        !url.Contains("://", StringComparison.Ordinal) && Path.IsPathRooted(url) && !Directory.Exists(url);

    private static string Clean(string message, string? password)
    {
        var cleaned = UrlRedactor.Redact(message.Trim());
        return string.IsNullOrEmpty(password) ? cleaned : cleaned.Replace(password, UrlRedactor.Mask, StringComparison.Ordinal);
    }
}
