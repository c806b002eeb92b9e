using System.Globalization;
using System.Text;

namespace Stoker.Tests.Infrastructure;

/// <summary>
/// Looks for credentials where they must never appear (docs/security.md, "Where credentials go"): given distinctive
/// secret strings, it collects texts (process output, status documents, events, metrics, audit records, files) and the
/// command lines and environments of a process tree sampled while it runs, then reports every place a secret shows up,
/// raw or in the encodings that carry it (base64 as in an Authorization header or a Secret's data, URL-encoded).
/// </summary>
/// <remarks>
/// Sampling <c>/proc</c> catches short-lived children (ssh, git helpers) only if they live across a sample; the
/// sampler reads every 20 ms and counts what it saw, so a test can tell a clean result from an empty one.
/// </remarks>
public sealed class LeakScanner : IAsyncDisposable
{
    private readonly List<(string Label, string Needle)> _needles = [];
    private readonly List<(string Source, string Text)> _documents = [];
    private readonly HashSet<int> _sampledProcesses = [];
    private readonly HashSet<string> _sampledCommands = [];
    private readonly HashSet<int> _excluded = [];
    private readonly Lock _gate = new();
    private CancellationTokenSource? _sampling;
    private Task? _sampler;

    /// <summary>How many distinct processes the sampler read.</summary>
    public int ProcessesSampled
    {
        get
        {
            lock (_gate)
            {
                return _sampledProcesses.Count;
            }
        }
    }

    /// <summary>The program names (first word of the command line) the sampler saw, e.g. <c>dotnet</c>, <c>ssh</c>, <c>git</c>.</summary>
    public IReadOnlyCollection<string> CommandsSampled
    {
        get
        {
            lock (_gate)
            {
                return [.. _sampledCommands];
            }
        }
    }

    /// <summary>Every collected source's name, for diagnostics.</summary>
    public IReadOnlyList<string> Sources
    {
        get
        {
            lock (_gate)
            {
                return [.. _documents.Select(d => d.Source).Distinct()];
            }
        }
    }

    /// <summary>
    /// A secret to look for, with its encodings: base64 (a Secret's <c>data</c>), base64 of <c>user:secret</c> for each
    /// of <paramref name="basicAuthUsers"/> (an HTTP Authorization header) and URL-encoded (a URL's user-info).
    /// Secrets shorter than 8 characters would match by chance and are refused.
    /// </summary>
    public LeakScanner Secret(string label, string secret, params string[] basicAuthUsers)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (secret.Length < 8)
        {
            throw new ArgumentException($"secret \"{label}\" is {secret.Length} characters long: use a distinctive one of at least 8", nameof(secret));
        }

        lock (_gate)
        {
            _needles.Add((label, secret));
            _needles.Add((label + " (base64)", Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)).TrimEnd('=')));
            var escaped = Uri.EscapeDataString(secret);
            if (escaped != secret)
            {
                _needles.Add((label + " (URL-encoded)", escaped));
            }

            foreach (var user in basicAuthUsers)
            {
                _needles.Add((label + $" (basic auth as {user})", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + secret)).TrimEnd('=')));
            }
        }

        return this;
    }

    /// <summary>Every line of a key file (its base64 body) of at least 16 characters, each a secret of its own.</summary>
    public LeakScanner KeyFile(string label, string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length >= 16 && !l.StartsWith("-----", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lines);
        for (var i = 0; i < lines.Count; i++)
        {
            Secret(string.Create(CultureInfo.InvariantCulture, $"{label} line {i + 1}"), lines[i]);
        }

        return this;
    }

    /// <summary>
    /// Leaves <paramref name="pid"/> and its children out of the sampling: the test's stand-ins for remote servers (a
    /// git server's CGI gets the caller's Authorization header in its environment, as any CGI does).
    /// </summary>
    public void Exclude(int pid)
    {
        lock (_gate)
        {
            _excluded.Add(pid);
        }
    }

    public void Add(string source, string? text)
    {
        lock (_gate)
        {
            _documents.Add((source, text ?? ""));
        }
    }

    /// <summary>Every file matching <paramref name="pattern"/> in <paramref name="folder"/> (rotated audit logs, say), when it exists.</summary>
    public void AddFiles(string folder, string pattern)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (var file in Directory.GetFiles(folder, pattern))
        {
            Add(file, File.ReadAllText(file));
        }
    }

    /// <summary>
    /// Starts reading <c>/proc/PID/cmdline</c> and <c>/proc/PID/environ</c> of every descendant of <paramref name="root"/>
    /// (by default this test process: everything the test started, and their children) every 20 ms until disposed.
    /// </summary>
    public void StartSampling(int? root = null)
    {
        var rootId = root ?? Environment.ProcessId;
        _sampling = new CancellationTokenSource();
        var token = _sampling.Token;
        _sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            do
            {
                SampleOnce(rootId);
            }
            while (await WaitAsync(timer, token));
        }, CancellationToken.None);
    }

    /// <summary>One reading of the process tree under <paramref name="root"/>, also done by the sampler.</summary>
    public void SampleOnce(int root)
    {
        foreach (var pid in Descendants(root))
        {
            var cmdline = Read($"/proc/{pid}/cmdline");
            var environ = Read($"/proc/{pid}/environ");
            if (cmdline is null)
            {
                continue;
            }

            var command = Path.GetFileName(cmdline.Split('\0')[0]);
            lock (_gate)
            {
                _sampledProcesses.Add(pid);
                _sampledCommands.Add(command);
                // Keep a distinct reading only: a long-lived process reads the same every time.
                var source = $"/proc/{pid} ({command})";
                var text = cmdline.Replace('\0', ' ') + "\n" + (environ ?? "").Replace('\0', '\n');
                if (!_documents.Any(d => d.Source == source && d.Text == text))
                {
                    _documents.Add((source, text));
                }
            }
        }
    }

    /// <summary>Where each secret was found: one line per hit, the secret itself masked.</summary>
    public IReadOnlyList<string> Hits()
    {
        lock (_gate)
        {
            var hits = new List<string>();
            foreach (var (source, text) in _documents)
            {
                foreach (var (label, needle) in _needles)
                {
                    var at = text.IndexOf(needle, StringComparison.Ordinal);
                    if (at >= 0)
                    {
                        var start = Math.Max(0, at - 60);
                        var end = Math.Min(text.Length, at + needle.Length + 60);
                        var excerpt = text[start..end].Replace(needle, $"<{label}>", StringComparison.Ordinal).ReplaceLineEndings(" ");
                        hits.Add($"{label} in {source}: …{excerpt}…");
                    }
                }
            }

            return hits;
        }
    }

    /// <summary>Fails naming every hit, with how much was read (so an empty collection is never mistaken for a clean one).</summary>
    public void AssertNoLeaks()
    {
        var hits = Hits();
        int documents;
        long characters;
        lock (_gate)
        {
            documents = _documents.Count;
            characters = _documents.Sum(d => (long)d.Text.Length);
        }

        Assert.True(hits.Count == 0,
            $"{hits.Count} leak(s) in {documents} documents ({characters} characters, {ProcessesSampled} processes sampled):\n" + string.Join("\n", hits));
    }

    /// <summary>Total characters collected.</summary>
    public long Characters
    {
        get
        {
            lock (_gate)
            {
                return _documents.Sum(d => (long)d.Text.Length);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_sampling is null)
        {
            return;
        }

        await _sampling.CancelAsync();
        if (_sampler is not null)
        {
            await _sampler;
        }

        _sampling.Dispose();
        _sampling = null;
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken token)
    {
        try
        {
            return await timer.WaitForNextTickAsync(token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private List<int> Descendants(int root)
    {
        HashSet<int> excluded;
        lock (_gate)
        {
            excluded = [.. _excluded];
        }

        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            // /proc/PID/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses, so read after the last ')'.
            var stat = Read($"/proc/{pid}/stat");
            if (stat is null || stat.LastIndexOf(')') is var close && close < 0)
            {
                continue;
            }

            var fields = stat[(close + 2)..].Split(' ');
            if (fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ppid))
            {
                parents[pid] = ppid;
            }
        }

        var result = new List<int>();
        foreach (var pid in parents.Keys)
        {
            for (var p = pid; parents.TryGetValue(p, out var parent) && p != 0; p = parent)
            {
                if (excluded.Contains(p))
                {
                    break;
                }

                if (parent == root)
                {
                    result.Add(pid);
                    break;
                }
            }
        }

        return result;
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process ended between listing and reading.
            return null;
        }
    }
}
