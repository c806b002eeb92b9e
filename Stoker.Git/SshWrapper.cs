using System.Globalization;
using System.Runtime.Versioning;
using System.Text;
using LibGit2Sharp;

namespace Stoker.Git;

/// <summary>
/// A private scratch folder (0700) holding the script libgit2 runs as <c>core.sshCommand</c>: the system <c>ssh</c>
/// with this operation's key and host-key policy. The control plane's ls-remote and the agent's fetch both go through
/// it, so they run SSH the same way (docs/private-repositories.md). libgit2 (1.8) runs <c>core.sshCommand</c> as a
/// program without a shell, so options cannot go in the setting itself; a per-operation script keeps concurrent
/// operations with different keys apart (the alternative, <c>GIT_SSH_COMMAND</c>, is process-wide). The key is written
/// into the folder as a 0600 file and everything is deleted on dispose. The folder must allow executing files
/// (<c>TMPDIR</c> on a <c>noexec</c> mount does not).
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class SshWrapper : IDisposable
{
    private const int MaxReasonLength = 500;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateExecutable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly string _stderrPath;

    private SshWrapper(string folder)
    {
        Folder = folder;
        _stderrPath = Path.Combine(folder, "ssh.stderr");
        Script = Path.Combine(folder, "ssh");
        ScratchRepository = Path.Combine(folder, "repo.git");
    }

    /// <summary>The private folder (0700) holding the script, the key copy and ssh's stderr.</summary>
    public string Folder { get; }

    /// <summary>The program to set as <c>core.sshCommand</c>.</summary>
    public string Script { get; }

    /// <summary>An empty bare repository whose <c>core.sshCommand</c> is <see cref="Script"/>, for an ls-remote by URL.</summary>
    public string ScratchRepository { get; }

    /// <param name="privateKey">The private key's text (no passphrase), or null to let ssh use none.</param>
    /// <param name="knownHosts">known_hosts lines: strict host-key checking against them; null: any host key is accepted.</param>
    /// <param name="connectTimeout">ssh's own connect timeout (the operation's deadline: waiting longer is pointless).</param>
    public static SshWrapper Create(string? privateKey, string? knownHosts, TimeSpan connectTimeout)
    {
        // mkdtemp: a fresh folder with an unguessable name, created 0700 (never readable by others, not even for a moment).
        var wrapper = new SshWrapper(Directory.CreateTempSubdirectory("stoker-ssh-").FullName);
        try
        {
            wrapper.WriteScript(privateKey, knownHosts, connectTimeout);
            return wrapper;
        }
        catch
        {
            wrapper.Dispose();
            throw;
        }
    }

    /// <summary>Points <paramref name="repository"/>'s <c>core.sshCommand</c> at <see cref="Script"/> (undo with <see cref="Detach"/>).</summary>
    public void AttachTo(Repository repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        repository.Config.Set("core.sshCommand", Script, ConfigurationLevel.Local);
    }

    /// <summary>Removes the setting <see cref="AttachTo"/> made, so no repository names a script that is about to be deleted.</summary>
    public static void Detach(Repository repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        repository.Config.Unset("core.sshCommand", ConfigurationLevel.Local);
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
            Directory.Delete(Folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // already gone
        }
    }

    private void WriteScript(string? privateKey, string? knownHosts, TimeSpan connectTimeout)
    {
        var options = new StringBuilder("-F /dev/null -o BatchMode=yes -o LogLevel=ERROR -o ConnectTimeout=")
            .Append(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)connectTimeout.TotalSeconds)}")
            .Append(" -o ServerAliveInterval=10 -o ServerAliveCountMax=3 -o GlobalKnownHostsFile=/dev/null");
        if (privateKey is not null)
        {
            // ssh refuses a key readable by others: written with the mode, never readable by anyone else.
            var key = WritePrivate("identity", privateKey.EndsWith('\n') ? privateKey : privateKey + "\n");
            options.Append(" -o IdentitiesOnly=yes -i ").Append(ShellQuote(key));
        }

        if (knownHosts is null)
        {
            // The original's policy: without known_hosts any host key is accepted (reported as a warning condition).
            options.Append(" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null");
        }
        else
        {
            var hosts = WritePrivate("known_hosts", knownHosts);
            options.Append(" -o StrictHostKeyChecking=yes -o UserKnownHostsFile=").Append(ShellQuote(hosts));
        }

        File.WriteAllText(Script, $"#!/bin/sh\nexec ssh {options} \"$@\" 2>>{ShellQuote(_stderrPath)}\n");
        File.SetUnixFileMode(Script, PrivateExecutable);

        Repository.Init(ScratchRepository, isBare: true);
        using var repository = new Repository(ScratchRepository);
        AttachTo(repository);
    }

    private string WritePrivate(string name, string content)
    {
        var path = Path.Combine(Folder, name);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = PrivateFile };
        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }

        return path;
    }

    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
