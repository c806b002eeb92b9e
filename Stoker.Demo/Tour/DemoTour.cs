using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Spectre.Console;
using Stoker.Demo.Plan;
using Stoker.Demo.Processes;
using Stoker.Demo.View;

namespace Stoker.Demo.Tour;

/// <summary>
/// The scripted tour: start a git server with the sample repository, the silo, two simulated gateways; apply the
/// sample GatewaySync; start two agents and watch both gateways reach Synced; push a change, send a signed GitHub push
/// webhook and measure how long the change takes to reach both; say where to look next. Everything it starts is in
/// one <see cref="ProcessSet"/> and stopped on every way out.
/// </summary>
public sealed class DemoTour
{
    private const string MarkerFile = ".stoker-demo";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan PropagationTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly DemoOptions _options;
    private readonly TourState _state;
    private readonly TimeProvider _time;
    private readonly NativeLauncher _launcher;
    private readonly ProcessSet _processes;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private PostgresInstance? _postgres;
    private DemoTopology _topology = null!;
    private SiloClient _silo = null!;
    private GatewayWatcher _watcher = null!;
    private DemoPorts _ports = DemoPorts.Defaults;
    private string _secret = "";

    private DemoTour(DemoOptions options, TourState state, TimeProvider time)
    {
        _options = options;
        _state = state;
        _time = time;
        _launcher = new NativeLauncher(options);
        _processes = new ProcessSet(Path.Join(options.WorkDirectory, "pids"));
    }

    public static async Task<int> RunAsync(DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            // Stop in order instead of dying: the finally block below ends every process the demo started.
            context.Cancel = true;
            stop.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);

        var state = new TourState { Title = $"Stoker demo: GatewaySync {DemoNames.Namespace}/{DemoNames.GatewaySyncName}, state {(options.Postgres ? "in PostgreSQL" : "in memory")}" };
        ITourView view = options.NonInteractive || Console.IsOutputRedirected
            ? new PlainTourView(Console.Out, TimeProvider.System)
            : new LiveTourView(AnsiConsole.Console);
        var tour = new DemoTour(options, state, TimeProvider.System);
        var completed = false;
        var exitCode = DemoCommandLine.Success;
        try
        {
            if (await ProcessSet.StopLeftoversAsync(options.WorkDirectory, ChildProcess.LogVariable) is > 0 and var leftovers)
            {
                view.WriteLine($"Stopped {leftovers} processes an earlier, killed demo run left behind in {options.WorkDirectory}.");
            }

            tour.PrepareWorkDirectory();
            // One display for the tour and, when attended, the watch after it: the table stays in place.
            await view.RunAsync(state, async () =>
            {
                try
                {
                    await tour.TourAsync(stop.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException && state.Running() is { } running)
                {
                    // Marked inside the display, so its last frame shows which step failed.
                    state.Fail(running, e.Message.Split('\n')[0]);
                    throw;
                }

                completed = true;
                if (!options.NonInteractive)
                {
                    state.Note("");
                    state.Note("The demo keeps running and the table stays current: push changes, open the dashboard. Ctrl-C stops the demo and every process it started.");
                    await tour._watcher.WatchAsync(stop.Token);
                }
            });
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            exitCode = completed ? DemoCommandLine.Success : DemoCommandLine.Interrupted;
            view.WriteLine(completed ? "Stopping the demo." : "Interrupted: stopping the demo.");
        }
        catch (DemoException e)
        {
            exitCode = DemoCommandLine.Failed;
            view.WriteLine($"demo failed: {e.Message}");
            view.WriteLine($"logs of every process: {tour._launcher.LogsDirectory}");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or UnauthorizedAccessException or InvalidOperationException or TaskCanceledException)
        {
            exitCode = DemoCommandLine.Failed;
            view.WriteLine($"demo failed: {e.GetType().Name}: {e.Message}");
            view.WriteLine($"logs of every process: {tour._launcher.LogsDirectory}");
        }
        finally
        {
            if (tour._processes.Children.Count > 0)
            {
                view.WriteLine($"Stopping {tour._processes.Children.Count} processes...");
            }

            var left = await tour.StopAsync();
            view.WriteLine(left);
        }

        return exitCode;
    }

    /// <summary>Empties the work folder, refusing one that holds anything the demo did not put there.</summary>
    private void PrepareWorkDirectory()
    {
        var work = _options.WorkDirectory;
        if (Directory.Exists(work) && Directory.EnumerateFileSystemEntries(work).Any())
        {
            if (!File.Exists(Path.Join(work, MarkerFile)))
            {
                throw new DemoException($"--work-dir: \"{work}\": not empty and not a demo work folder (no {MarkerFile} in it); give an empty or new folder");
            }

            Directory.Delete(work, recursive: true);
        }

        Directory.CreateDirectory(work);
        File.WriteAllText(Path.Join(work, MarkerFile), "A Stoker demo work folder: demo/run.sh empties it at start.\n");
    }

    private async Task TourAsync(CancellationToken cancellationToken)
    {
        await PrepareAsync(cancellationToken);
        var head = await StartGitServerAsync(cancellationToken);
        await StartSiloAsync(cancellationToken);
        await StartGatewaysAsync(cancellationToken);
        await ApplyAsync(cancellationToken);
        await FirstSyncAsync(head, cancellationToken);
        var change = await PushChangeAsync(cancellationToken);
        var sent = await SendWebhookAsync(head, change, cancellationToken);
        await PropagationAsync(change, sent, cancellationToken);
        await ShowStatusAsync(cancellationToken);
        WhereToLookNext();
    }

    private async Task PrepareAsync(CancellationToken cancellationToken)
    {
        var step = _state.Begin("Prepare", "ports, work folder, the GatewaySync manifest");
        var started = _time.GetTimestamp();
        var moved = new List<string>();
        _ports = PortFinder.Choose(DemoPorts.Defaults, moved);
        foreach (var line in moved)
        {
            _state.Note(line);
        }

        if (_options.Postgres)
        {
            _state.Detail(step, $"starting PostgreSQL from {PostgresInstance.BinDirectory} on 127.0.0.1:{_ports.Postgres}");
            _postgres = await PostgresInstance.StartAsync(_ports.Postgres, _launcher.LogPath("postgres"), cancellationToken);
            _processes.Add(_postgres.Server);
        }

        _secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        await File.WriteAllTextAsync(Path.Join(_options.WorkDirectory, "webhook-secret"), _secret + "\n", cancellationToken);
        Rebuild();
        foreach (var gateway in _topology.Gateways)
        {
            Directory.CreateDirectory(gateway.DataPath);
            Directory.CreateDirectory(gateway.AgentWorkPath);
        }

        _state.Complete(step, $"work folder {Relative(_options.WorkDirectory)}" + (_options.Postgres ? $", PostgreSQL on 127.0.0.1:{_ports.Postgres}" : ""), _time.GetElapsedTime(started));
    }

    /// <summary>The layout and everything that depends on it, after the ports were chosen or moved.</summary>
    private void Rebuild()
    {
        _topology = DemoTopology.Native(_options.RepositoryRoot, _options.WorkDirectory, _ports, _secret, _postgres?.ConnectionString);
        _silo = new SiloClient(_http, _topology.SiloUrl, _topology.StokerTokenFile);
        _watcher = new GatewayWatcher(_state, _silo, _processes, _launcher, _topology, _time);
    }

    private async Task<string> StartGitServerAsync(CancellationToken cancellationToken)
    {
        var step = _state.Begin("Git server", "creating the sample repository from demo/repo, serving it over smart HTTP");
        var started = _time.GetTimestamp();
        string? head = null;
        await StartAsync(
            "the git server to answer ls-remote",
            [nameof(DemoPorts.Git)],
            () => [DemoPlan.GitServer(_topology)],
            async () =>
            {
                try
                {
                    var git = new DemoGit(_topology.RepositoryUrl, Path.Join(_options.WorkDirectory, "checkout"));
                    head = await PortFinder.IsListeningAsync(_topology.GitPort) ? await git.HeadAsync(cancellationToken) : null;
                    return head is not null;
                }
                catch (DemoException)
                {
                    return false;
                }
            },
            cancellationToken);
        _state.Complete(step, $"{_topology.RepositoryUrl} main at {TourState.Short(head!)}", _time.GetElapsedTime(started));
        return head!;
    }

    private async Task StartSiloAsync(CancellationToken cancellationToken)
    {
        var step = _state.Begin("Silo", "starting the control plane (Orleans silo, apply API, webhook receiver)");
        var started = _time.GetTimestamp();
        await StartAsync(
            "the silo's /healthz",
            [nameof(DemoPorts.SiloHttp), nameof(DemoPorts.SiloHttps), nameof(DemoPorts.Silo), nameof(DemoPorts.SiloGateway)],
            () => [DemoPlan.Silo(_topology)],
            () => _silo.IsHealthyAsync(cancellationToken),
            cancellationToken);
        _state.Complete(step, $"{_topology.SiloUrl} (kubectl: {_topology.SiloHttpsUrl}), agents connect to 127.0.0.1:{_topology.SiloGatewayPort}", _time.GetElapsedTime(started));
    }

    private async Task StartGatewaysAsync(CancellationToken cancellationToken)
    {
        var step = _state.Begin("Gateways", "two Ignition gateway simulators");
        var started = _time.GetTimestamp();
        await StartAsync(
            "both simulators to answer /system/gwinfo",
            [nameof(DemoPorts.NorthGateway), nameof(DemoPorts.SouthGateway)],
            () => _topology.Gateways.Select(g => DemoPlan.Simulator(_topology, g)),
            async () => (await Task.WhenAll(_topology.Gateways.Select(g => AnswersAsync($"http://127.0.0.1:{g.Port}/system/gwinfo", cancellationToken)))).All(ok => ok),
            cancellationToken);
        _state.Complete(step, string.Join(", ", _topology.Gateways.Select(g => $"{g.Name} on :{g.Port}")), _time.GetElapsedTime(started));
    }

    private async Task ApplyAsync(CancellationToken cancellationToken)
    {
        // The sample manifest names docker-compose's git server; the native demo serves the same repository here.
        var manifest = await File.ReadAllTextAsync(Path.Join(_options.RepositoryRoot, "demo", "gatewaysync.yaml"), cancellationToken);
        if (!manifest.Contains(DemoNames.ComposeRepositoryUrl, StringComparison.Ordinal))
        {
            throw new DemoException($"demo/gatewaysync.yaml: spec.git.repo must be \"{DemoNames.ComposeRepositoryUrl}\" (the demo replaces it with its own server's URL)");
        }

        await File.WriteAllTextAsync(_topology.GatewaySyncFile, manifest.Replace(DemoNames.ComposeRepositoryUrl, _topology.RepositoryUrl, StringComparison.Ordinal), cancellationToken);
        var apply = DemoPlan.Apply(_topology);
        var step = _state.Begin("Apply", $"stoker apply -f {Relative(_topology.GatewaySyncFile)}");
        var started = _time.GetTimestamp();
        var (program, prefix) = _launcher.Command(apply.Program);
        var result = await Processes.Command.RunAsync(program, [.. prefix, .. apply.Args], TimeSpan.FromSeconds(100), _options.WorkDirectory, cancellationToken: cancellationToken);
        if (!result.Succeeded)
        {
            throw new DemoException($"stoker apply exited with {result.ExitCode}: {result.Output}");
        }

        // Each agent's credential, minted through the silo's API as an operator would (stoker agent-token create).
        Directory.CreateDirectory(_topology.AgentTokenFolder);
        foreach (var gateway in _topology.Gateways)
        {
            var mint = DemoPlan.AgentToken(_topology, gateway);
            var minted = await Processes.Command.RunAsync(program, [.. prefix, .. mint.Args], TimeSpan.FromSeconds(100), _options.WorkDirectory, cancellationToken: cancellationToken);
            if (!minted.Succeeded)
            {
                throw new DemoException($"stoker agent-token create for {gateway.Name} exited with {minted.ExitCode}: {minted.Output}");
            }
        }

        _state.Complete(step, result.Output.Split('\n')[^1], _time.GetElapsedTime(started));
    }

    private async Task FirstSyncAsync(string head, CancellationToken cancellationToken)
    {
        var step = _state.Begin("First sync", "two agents register, clone and sync; each gateway goes Pending → Synced");
        _state.SetGateways(_topology.Gateways.Select(g => new GatewayRow { Name = g.Name, Profile = g.Profile }));
        var started = _time.GetTimestamp();
        await StartAsync(
            "both agents' /healthz",
            [nameof(DemoPorts.NorthHealth), nameof(DemoPorts.NorthMetrics), nameof(DemoPorts.SouthHealth), nameof(DemoPorts.SouthMetrics)],
            () => _topology.Gateways.Select(g => DemoPlan.Agent(_topology, g)),
            async () => (await Task.WhenAll(_topology.Gateways.Select(g => AnswersAsync($"http://127.0.0.1:{g.HealthPort}/healthz", cancellationToken)))).All(ok => ok),
            cancellationToken);

        var rows = await _watcher.WatchUntilAsync(head, started, SyncTimeout, "both gateways to reach Synced", cancellationToken);
        foreach (var gateway in _topology.Gateways)
        {
            GatewayFiles.CheckFirstSync(gateway);
        }

        _state.Complete(step, $"{rows.Count}/{rows.Count} gateways Synced at {TourState.Short(head)}: " + string.Join(", ", rows.Select(r => $"{r.Name} {r.FilesChanged} files")), _time.GetElapsedTime(started));
    }

    /// <summary>
    /// Starts <paramref name="services"/> and waits until <paramref name="ready"/>. A port can be taken between the
    /// check and the bind (other programs start too): a program that ended saying so is started again on free ports.
    /// </summary>
    private async Task StartAsync(string what, string[] ports, Func<IEnumerable<ServiceSpec>> services, Func<Task<bool>> ready, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var started = services().Select(s => _processes.Add(_launcher.Start(s))).ToList();
            try
            {
                await UntilAsync(what, StartTimeout, async () => await ready() ? "" : null, cancellationToken);
                return;
            }
            catch (DemoException) when (attempt < 3 && started.Any(c => c.LostAPort()))
            {
                await Task.WhenAll(started.Select(c => c.StopAsync(TimeSpan.FromSeconds(5))));
                _processes.Remove(started);
                var moved = new List<string>();
                _ports = PortFinder.Move(_ports, ports, moved);
                moved.ForEach(_state.Note);
                Rebuild();
            }
        }
    }

    private async Task<string> PushChangeAsync(CancellationToken cancellationToken)
    {
        var step = _state.Begin("Commit a change", $"{DemoGit.ChangedFile}: \"{DemoGit.ReleaseBefore}\" → \"{DemoGit.ReleaseAfter}\"");
        var started = _time.GetTimestamp();
        var commit = await new DemoGit(_topology.RepositoryUrl, Path.Join(_options.WorkDirectory, "checkout")).PushChangeAsync(cancellationToken);
        _state.Complete(step, $"git push: main at {TourState.Short(commit)}", _time.GetElapsedTime(started));
        return commit;
    }

    private async Task<long> SendWebhookAsync(string before, string after, CancellationToken cancellationToken)
    {
        var step = _state.Begin("Webhook", $"POST {_silo.WebhookPath}, a GitHub push signed with X-Hub-Signature-256");
        var sent = _time.GetTimestamp();
        var (status, body) = await _silo.SendPushAsync(before, after, _topology.RepositoryUrl, _topology.WebhookSecret, cancellationToken);
        if ((int)status != 202 || JsonNode.Parse(body)?["accepted"]?.GetValue<bool>() != true)
        {
            throw new DemoException($"the webhook receiver answered {(int)status}: {body}");
        }

        _state.Complete(step, $"{(int)status} Accepted: ref {DemoNames.Branch} at {TourState.Short(after)} requested", _time.GetElapsedTime(sent));
        return sent;
    }

    private async Task PropagationAsync(string change, long sent, CancellationToken cancellationToken)
    {
        var step = _state.Begin("Propagation", $"waiting for {TourState.Short(change)} on both gateways");
        var rows = await _watcher.WatchUntilAsync(change, sent, PropagationTimeout, $"both gateways to sync {TourState.Short(change)}", cancellationToken);
        foreach (var gateway in _topology.Gateways)
        {
            GatewayFiles.CheckChange(gateway, change, DemoGit.ReleaseAfter);
        }

        var slowest = rows.Max(r => r.ReachedAfter!.Value);
        var line = $"Propagation: webhook → {rows.Count}/{rows.Count} gateways Synced at {TourState.Short(change)} in {TourState.Format(slowest)} ("
            + string.Join(", ", rows.Select(r => $"{r.Name} {TourState.Format(r.ReachedAfter!.Value)}")) + ")";
        _state.Complete(step, $"{rows.Count}/{rows.Count} gateways in {TourState.Format(slowest)}", slowest);
        _state.Note(line);
    }

    private async Task ShowStatusAsync(CancellationToken cancellationToken)
    {
        string[] args = ["--server", _topology.SiloUrl, "--token-file", _topology.StokerTokenFile, "get", "gs", "-n", DemoNames.Namespace, "-o", "wide"];
        var (program, prefix) = _launcher.Command(DemoNames.CliProgram);
        var result = await Processes.Command.RunAsync(program, [.. prefix, .. args], TimeSpan.FromSeconds(60), _options.WorkDirectory, cancellationToken: cancellationToken);
        _state.Note("");
        // Paths shown relative to the work folder (the token file's path among them; never its content).
        _state.Note("$ stoker " + string.Join(' ', args.Select(a => Path.IsPathRooted(a) ? Relative(a) : a)));
        foreach (var line in result.Output.Split('\n'))
        {
            _state.Note(line);
        }
    }

    private void WhereToLookNext()
    {
        var north = _topology.Gateways[0];
        var south = _topology.Gateways[1];
        _state.Note("");
        _state.Note("Where to look next:");
        _state.Note($"  dashboard      {_topology.SiloUrl}/dashboard (any user name; the password is the token in {Relative(_topology.StokerTokenFile)})");
        _state.Note($"  metrics        {_topology.SiloUrl}/metrics   agents: http://127.0.0.1:{north.MetricsPort}/metrics, http://127.0.0.1:{south.MetricsPort}/metrics");
        _state.Note($"  status         {_launcher.Display(DemoNames.CliProgram, "--server", _topology.SiloUrl, "--token-file", Relative(_topology.StokerTokenFile), "get", "gs", "-n", DemoNames.Namespace, "-o", "wide")}");
        _state.Note($"  gateway data   {Relative(north.DataPath)}  {Relative(south.DataPath)}");
        _state.Note($"  your changes   {Relative(Path.Join(_options.WorkDirectory, "checkout"))} (a clone: commit, git push, then send a webhook as docs/demo.md shows)");
        _state.Note($"  logs           {Relative(_launcher.LogsDirectory)}/");
    }

    /// <summary>A readiness probe: a quick GET that counts only a success (something else on the port may never answer).</summary>
    private async Task<bool> AnswersAsync(string url, CancellationToken cancellationToken)
    {
        using var quick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        quick.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var response = await _http.GetAsync(new Uri(url), quick.Token);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Polls <paramref name="probe"/> until it returns a value, failing fast when a started process died.</summary>
    private async Task<string> UntilAsync(string what, TimeSpan timeout, Func<Task<string?>> probe, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            _processes.EnsureRunning();
            if (await probe() is { } value)
            {
                return value;
            }

            if (_time.GetElapsedTime(started) > timeout)
            {
                throw new DemoException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}; see {Relative(_launcher.LogsDirectory)}/");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>Stops every process the demo started and reports, by process id and port, that none is left.</summary>
    private async Task<string> StopAsync()
    {
        var children = _processes.Children;
        var left = await _processes.StopAllAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        _http.Dispose();
        var listening = new List<int>();
        foreach (var (_, port) in _ports.All)
        {
            if (await PortFinder.IsListeningAsync(port) && children.Count > 0)
            {
                listening.Add(port);
            }
        }

        var ids = string.Join(' ', children.Select(c => c.Id));
        return left.Count == 0
            ? $"Stopped {children.Count} processes (pids {ids}); none left running."
            : $"Could not stop: {string.Join(", ", left.Select(c => $"{c.Name} (pid {c.Id})"))}"
              + (listening.Count > 0 ? $"; ports still listening: {string.Join(", ", listening)}" : "");
    }

    /// <summary>Paths inside the checkout as a person types them there; others in full.</summary>
    private string Relative(string path)
    {
        var relative = Path.GetRelativePath(_options.RepositoryRoot, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
