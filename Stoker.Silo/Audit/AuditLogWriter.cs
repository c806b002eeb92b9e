using System.Text;
using Microsoft.Extensions.Logging;
using Stoker.Grains.Audit;

namespace Stoker.Silo.Audit;

/// <summary>
/// The audit log as JSON lines: a file created 0600 (its folder 0700 when this makes it), renamed to <c>.1</c>,
/// <c>.2</c>, … before a record would take it past <see cref="AuditOptions.MaxFileBytes"/>, at most
/// <see cref="AuditOptions.MaxFiles"/> renamed files kept; or standard output. A record that cannot be written is
/// logged (once until writing works again) and dropped: the audit log never fails a request or a grain call.
/// </summary>
public sealed partial class AuditLogWriter : IAuditSink, IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string? _path;
    private readonly long _maxFileBytes;
    private readonly int _maxFiles;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private FileStream? _file;
    private bool _failing;

    /// <param name="path">The file; null writes to standard output.</param>
    public AuditLogWriter(string? path, long maxFileBytes, int maxFiles, ILogger<AuditLogWriter> logger)
    {
        _path = path is null ? null : System.IO.Path.GetFullPath(path);
        _maxFileBytes = maxFileBytes;
        _maxFiles = maxFiles;
        _logger = logger;
    }

    /// <summary>The file written, or null for standard output.</summary>
    public string? Path => _path;

    public void Record(AuditRecord record)
    {
        var line = AuditRecordJson.Format(record, Guid.NewGuid().ToString()) + "\n";
        lock (_gate)
        {
            try
            {
                if (_path is null)
                {
                    Console.Out.Write(line);
                    Console.Out.Flush();
                    return;
                }

                var bytes = Encoding.UTF8.GetBytes(line);
                var file = Open();
                if (file.Length > 0 && file.Length + bytes.Length > _maxFileBytes)
                {
                    Rotate();
                    file = Open();
                }

                file.Write(bytes);
                file.Flush();
                if (_failing)
                {
                    _failing = false;
                    LogRecovered(_logger, _path);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _file?.Dispose();
                _file = null;
                if (!_failing)
                {
                    _failing = true;
                    LogWriteFailed(_logger, _path ?? "stdout", e.Message);
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _file?.Dispose();
            _file = null;
        }
    }

    private FileStream Open()
    {
        if (_file is not null)
        {
            return _file;
        }

        var folder = System.IO.Path.GetDirectoryName(_path!)!;
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            _file = new FileStream(_path!, options);
            return _file;
        }

        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        options.UnixCreateMode = OwnerOnly;
        _file = new FileStream(_path!, options);
        // A file made by someone else (or an older version) is tightened: records name who did what from where.
        if (File.GetUnixFileMode(_path!) != OwnerOnly)
        {
            File.SetUnixFileMode(_path!, OwnerOnly);
        }

        return _file;
    }

    private void Rotate()
    {
        _file?.Dispose();
        _file = null;
        var oldest = Numbered(_maxFiles);
        if (File.Exists(oldest))
        {
            File.Delete(oldest);
        }

        for (var n = _maxFiles - 1; n >= 1; n--)
        {
            if (File.Exists(Numbered(n)))
            {
                File.Move(Numbered(n), Numbered(n + 1), overwrite: true);
            }
        }

        File.Move(_path!, Numbered(1), overwrite: true);
    }

    private string Numbered(int n) => $"{_path}.{n}";

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit log {Path} cannot be written, records are dropped until it can: {Error}")]
    private static partial void LogWriteFailed(ILogger logger, string path, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "The audit log {Path} is written again")]
    private static partial void LogRecovered(ILogger logger, string path);
}
