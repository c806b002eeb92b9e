namespace Stoker.Grains.Interfaces.Security;

/// <summary>
/// The silo's state folder (docs/security.md, "Files the silo keeps"): the material a local-mode silo generates on
/// first start and the tools beside it read: the private CA and the silo's TLS certificate, the key that signs agent
/// tokens, and the loopback admin token. <c>stoker</c>, the demo and the silo agree on its place through
/// <see cref="Default"/> (or <c>STOKER_STATE_PATH</c>, or the silo's <c>Stoker:Silo:StatePath</c>).
/// </summary>
public static class StokerStateFolder
{
    /// <summary>Overrides the default folder for the silo and the command-line tools alike.</summary>
    public const string EnvironmentVariable = "STOKER_STATE_PATH";

    /// <summary>Only the owner may list or enter the folder.</summary>
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Only the owner may read or write a secret file.</summary>
    public const UnixFileMode SecretFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary><c>$STOKER_STATE_PATH</c>, else <c>~/.local/share/stoker</c> (the user's local application data).</summary>
    public static string Default =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } path
            ? path
            : Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "stoker");

    /// <summary>The bearer token a loopback-only silo generates for its own tools (<c>stoker</c>, the demo).</summary>
    public static string AdminTokenFile(string folder) => Path.Join(folder, "admin.token");

    /// <summary>The private CA's certificate (PEM): what agents are given as <c>SILO_CA_FILE</c>.</summary>
    public static string CaCertificateFile(string folder) => Path.Join(folder, "tls", "ca.crt");

    /// <summary>The private CA's key (PEM); never leaves the silo's host.</summary>
    public static string CaKeyFile(string folder) => Path.Join(folder, "tls", "ca.key");

    /// <summary>The silo's certificate (PEM), issued by the CA.</summary>
    public static string SiloCertificateFile(string folder) => Path.Join(folder, "tls", "silo.crt");

    /// <summary>The silo certificate's key (PEM).</summary>
    public static string SiloKeyFile(string folder) => Path.Join(folder, "tls", "silo.key");

    /// <summary>The key that signs and verifies agent tokens (<c>stoker agent-token create</c>).</summary>
    public static string AgentTokenKeyFile(string folder) => Path.Join(folder, "agent-token.key");

    /// <summary>Creates <paramref name="folder"/> (and its parents) if missing; a folder it creates is the owner's only.</summary>
    public static string EnsureFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, FolderMode);
            }
        }

        return folder;
    }

    /// <summary>
    /// Writes a secret file readable by its owner only. The content goes to a temporary file in the same folder that
    /// is created with mode 0600 and then renamed over <paramref name="path"/>, so no reader ever sees a half-written
    /// or world-readable secret.
    /// </summary>
    public static void WriteSecretFile(string path, ReadOnlySpan<byte> content)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        EnsureFolder(folder);
        var temporary = Path.Join(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = SecretFileMode;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Creates the secret file <paramref name="path"/> with <paramref name="content"/> unless it exists, and never
    /// replaces one: written 0600 beside it and moved in place without overwriting, so when two silos sharing the folder
    /// start at once the first file stands and both read it.
    /// </summary>
    /// <returns>Whether this call created the file.</returns>
    public static bool CreateSecretFileIfMissing(string path, ReadOnlySpan<byte> content)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path))
        {
            return false;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Join(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.new");
        WriteSecretFile(temporary, content);
        try
        {
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
