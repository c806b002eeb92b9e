using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Stoker.Silo.Authentication;

/// <summary>
/// The tokens the silo itself knows: the loopback admin token and the tokens file's. A presented token is hashed and
/// compared with every known hash in constant time, so neither the answer's timing nor a dictionary's reveals how
/// much of a hash matched. The file is looked at again at most once a second (its size and modification time) and
/// re-read when it changed; a file that became invalid is logged and the last good tokens stay in force.
/// </summary>
public sealed partial class ApiTokenStore
{
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);

    private readonly string? _file;
    private readonly ApiTokenEntry? _admin;
    private readonly TimeProvider _time;
    private readonly ILogger<ApiTokenStore> _logger;
    private readonly Lock _gate = new();
    private IReadOnlyList<ApiTokenEntry> _fileEntries;
    private (DateTime Modified, long Length) _fileStamp;
    private DateTimeOffset _nextCheck;

    /// <summary>Reads <paramref name="file"/> at once: a bad file stops the silo from starting (<see cref="ApiTokensFileException"/>).</summary>
    public ApiTokenStore(string? file, string? adminToken, TimeProvider time, ILogger<ApiTokenStore> logger)
    {
        _file = file;
        _time = time;
        _logger = logger;
        _admin = adminToken is null ? null : new ApiTokenEntry(Hash(adminToken), "admin", ApiRole.Admin, "the admin token file");
        _fileEntries = [];
        if (file is not null)
        {
            _fileStamp = Stamp(file);
            _fileEntries = ApiTokensFile.Read(file);
        }

        _nextCheck = time.GetUtcNow() + RecheckInterval;
    }

    public bool HasTokens => _admin is not null || _file is not null;

    public int FileTokenCount => _fileEntries.Count;

    /// <summary>The entry <paramref name="token"/> matches, or null.</summary>
    public ApiTokenEntry? Find(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        ReloadIfChanged();
        var hash = Hash(token);
        ApiTokenEntry? found = null;
        // Every entry is compared, match or not: the time taken depends on the number of entries only.
        if (_admin is not null && CryptographicOperations.FixedTimeEquals(hash, _admin.Sha256))
        {
            found = _admin;
        }

        foreach (var entry in Volatile.Read(ref _fileEntries))
        {
            if (CryptographicOperations.FixedTimeEquals(hash, entry.Sha256))
            {
                found ??= entry;
            }
        }

        return found;
    }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private void ReloadIfChanged()
    {
        if (_file is null || _time.GetUtcNow() < _nextCheck)
        {
            return;
        }

        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (now < _nextCheck)
            {
                return;
            }

            _nextCheck = now + RecheckInterval;
            var stamp = Stamp(_file);
            if (stamp == _fileStamp)
            {
                return;
            }

            _fileStamp = stamp;
            try
            {
                var entries = ApiTokensFile.Read(_file);
                Volatile.Write(ref _fileEntries, entries);
                LogReloaded(_logger, _file, entries.Count);
            }
            catch (ApiTokensFileException e)
            {
                LogReloadFailed(_logger, e.Message);
            }
        }
    }

    private static (DateTime, long) Stamp(string file)
    {
        var info = new FileInfo(file);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "API tokens file {File} re-read: {Count} tokens")]
    private static partial void LogReloaded(ILogger logger, string file, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "API tokens file changed but was not taken; the previous tokens stay in force: {Problem}")]
    private static partial void LogReloadFailed(ILogger logger, string problem);
}
