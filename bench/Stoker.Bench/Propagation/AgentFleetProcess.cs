using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Stoker.Bench.Core;

namespace Stoker.Bench.Propagation;

/// <summary>The coordinator's handle on one <see cref="AgentFleetRole"/> child process; killed on dispose.</summary>
public sealed class AgentFleetProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly Queue<string> _errors = new();

    private AgentFleetProcess(Process process, IReadOnlyList<string> keys)
    {
        _process = process;
        Keys = keys;
    }

    public IReadOnlyList<string> Keys { get; }

    public int Pid => _process.Id;

    public TimeSpan RegistrationTime { get; private set; }

    public int RegistrationFailures { get; private set; }

    public static Task<AgentFleetProcess> StartAsync(BenchContext context, SiloProcess silo, IReadOnlyList<string> keys, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(silo);
        var keysFile = Path.Join(context.WorkDirectory, name + ".keys");
        File.WriteAllLines(keysFile, keys);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = context.WorkDirectory,
        };
        foreach (var a in new[] { BenchContext.SelfDll, "child", AgentFleetRole.Name, silo.GatewayPort.ToString(CultureInfo.InvariantCulture), silo.ClusterId, keysFile,
            silo.AllowInsecureAgents ? AgentFleetRole.PlainTcp : silo.CaFile, silo.AgentTokenKeyFile })
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the agent fleet");
        var fleet = new AgentFleetProcess(process, keys);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                fleet._lines.Writer.TryComplete();
            }
            else
            {
                fleet._lines.Writer.TryWrite(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (fleet._errors)
                {
                    fleet._errors.Enqueue(e.Data);
                    while (fleet._errors.Count > 40)
                    {
                        fleet._errors.Dequeue();
                    }
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return Task.FromResult(fleet);
    }

    /// <summary>Waits for the child to have registered all its gateways.</summary>
    /// <summary>
    /// Splits <paramref name="keys"/> evenly over <paramref name="processes"/> fleet processes named
    /// <c>{name}-{i}</c>, adding each to <paramref name="fleets"/> as it starts (the caller disposes them, also when
    /// this throws), and waits until every gateway has registered; returns how long registration took.
    /// </summary>
    public static async Task<TimeSpan> StartAllAsync(BenchContext context, SiloProcess silo, IReadOnlyList<string> keys, int processes, string name,
        TimeSpan timeout, List<AgentFleetProcess> fleets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(fleets);
        var per = (keys.Count + processes - 1) / processes;
        for (var p = 0; p < processes; p++)
        {
            fleets.Add(await StartAsync(context, silo, keys.Skip(p * per).Take(per).ToList(), $"{name}-{p}"));
        }

        var registering = Stopwatch.GetTimestamp();
        await Task.WhenAll(fleets.Select(f => f.WaitRegisteredAsync(timeout, cancellationToken)));
        return Stopwatch.GetElapsedTime(registering);
    }

    public async Task WaitRegisteredAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var words = await ExpectAsync("registered", timeout, cancellationToken);
        RegistrationTime = TimeSpan.FromMilliseconds(double.Parse(words[2], CultureInfo.InvariantCulture));
        RegistrationFailures = int.Parse(words[3], CultureInfo.InvariantCulture);
    }

    public async Task SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Reads the next line, which must start with <paramref name="word"/>; returns its words.</summary>
    public async Task<string[]> ExpectAsync(string word, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        string line;
        try
        {
            line = await _lines.Reader.ReadAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"agent fleet {Pid}: no \"{word}\" within {timeout.TotalSeconds:0} s; stderr:\n{Errors()}");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"agent fleet {Pid} ended before \"{word}\"; stderr:\n{Errors()}");
        }

        var words = line.Split(' ');
        return words[0] == word ? words : throw new InvalidOperationException($"agent fleet {Pid}: expected \"{word}\", got \"{line}\"; stderr:\n{Errors()}");
    }

    public string Errors()
    {
        lock (_errors)
        {
            return string.Join('\n', _errors);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await SendAsync("quit");
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    await _process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
        catch (IOException)
        {
        }
        finally
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
            catch (InvalidOperationException)
            {
            }

            _process.Dispose();
        }
    }
}
