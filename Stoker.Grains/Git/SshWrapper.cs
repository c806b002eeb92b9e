using System.Globalization;
using System.Runtime.Versioning;
using System.Text;
using LibGit2Sharp;

namespace Stoker.Grains.Git;

/// <summary>
/// A scratch folder holding an empty repository whose <c>core.sshCommand</c> is a small script running the system
/// <c>ssh</c> with this request's key and host-key policy. libgit2 (1.8) runs <c>core.sshCommand</c> as a program
/// without a shell, so options cannot go in the setting itself; a per-request script keeps concurrent requests with
/// different keys apart (the alternative, <c>GIT_SSH_COMMAND</c>, is process-wide). The folder must allow executing
/// files (<c>TMPDIR</c> on a <c>noexec</c> mount does not).
/// </summary>
[UnsupportedOSPlatform("windows")]
internal sealed class SshWrapper : IDisposable
{
    private const int MaxReasonLength = 500;

    private readonly string _folder;
    private readonly string _stderrPath;

    private SshWrapper(string folder)
    {
        _folder = folder;
        _stderrPath = Path.Combine(folder, "ssh.stderr");
        ScratchRepository = Path.Combine(folder, "repo.git");
    }

    public string ScratchRepository { get; }

    public static SshWrapper Create(string? privateKeyPath, string? knownHostsPath)
    {
        var folder = Path.Combine(Path.GetTempPath(), "stoker-ls-remote", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var wrapper = new SshWrapper(folder);
        try
        {
            wrapper.WriteScript(privateKeyPath, knownHostsPath);
            return wrapper;
        }
        catch
        {
            wrapper.Dispose();
            throw;
        }
    }

    /// <summary>The last lines ssh (and the remote side) wrote to stderr, on one line.</summary>
    public string ReadSshErrors()
    {
        if (!File.Exists(_stderrPath))
        {
            return string.Empty;
        }

        var lines = File.ReadAllLines(_stderrPath)
            .Select(static line => line.Trim())
            .Where(static line => line.Length > 0)
            .TakeLast(3);
        var reason = string.Join("; ", lines);
        return reason.Length <= MaxReasonLength ? reason : reason[..MaxReasonLength] + "…";
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // already gone
        }
    }

    private void WriteScript(string? privateKeyPath, string? knownHostsPath)
    {
        // ssh's own connect timeout is the ls-remote's: waiting longer is pointless once the resolver gave up.
        var options = new StringBuilder("-F /dev/null -o BatchMode=yes -o LogLevel=ERROR -o ConnectTimeout=")
            .Append(CultureInfo.InvariantCulture, $"{(int)LsRemoteTimeout.Duration.TotalSeconds}")
            .Append(" -o ServerAliveInterval=10 -o ServerAliveCountMax=3 -o GlobalKnownHostsFile=/dev/null");
        if (!string.IsNullOrEmpty(privateKeyPath))
        {
            if (!File.Exists(privateKeyPath))
            {
                throw new RefResolutionException($"SSH private key file \"{privateKeyPath}\" does not exist");
            }

            // ssh refuses a key readable by others (Secret volumes are often 0644): use a private copy.
            var key = Path.Combine(_folder, "identity");
            File.Copy(privateKeyPath, key);
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            options.Append(" -o IdentitiesOnly=yes -i ").Append(ShellQuote(key));
        }

        if (string.IsNullOrEmpty(knownHostsPath))
        {
            // The original's policy: without known_hosts any host key is accepted (reported as a warning condition).
            options.Append(" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null");
        }
        else
        {
            if (!File.Exists(knownHostsPath))
            {
                throw new RefResolutionException($"SSH known_hosts file \"{knownHostsPath}\" does not exist");
            }

            options.Append(" -o StrictHostKeyChecking=yes -o UserKnownHostsFile=").Append(ShellQuote(knownHostsPath));
        }

        var script = Path.Combine(_folder, "ssh");
        File.WriteAllText(script, $"#!/bin/sh\nexec ssh {options} \"$@\" 2>>{ShellQuote(_stderrPath)}\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        Repository.Init(ScratchRepository, isBare: true);
        using var repository = new Repository(ScratchRepository);
        repository.Config.Set("core.sshCommand", script);
    }

    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
