using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Stoker.Bench.Data;

/// <summary>One folder of the generated repository that a profile maps into the gateway's data directory.</summary>
public sealed record RepositoryMapping(string Source, string Destination);

/// <summary>
/// A generated Ignition-like repository: a bare origin whose <c>main</c> the benchmark moves along a chain of
/// commits (<see cref="Commits"/>[0] is the full tree, each later one changes <see cref="FilesPerChange"/> files).
/// </summary>
public sealed record IgnitionRepository(string OriginPath, IReadOnlyList<string> Commits, int FileCount, long TotalBytes, int FilesPerChange)
{
    /// <summary>The folders the benchmark's profile maps, as in <c>demo/gatewaysync.yaml</c>: site projects, tag definitions, shared config.</summary>
    public static IReadOnlyList<RepositoryMapping> Mappings { get; } =
    [
        new("sites/plant/projects", "projects"),
        new("sites/plant/config/resources/core/ignition/tag-definition", "config/resources/core/ignition/tag-definition"),
        new("shared/config/resources/core/ignition/database-connection", "config/resources/core/ignition/database-connection"),
        new("shared/config/resources/core/ignition/opc-connection", "config/resources/core/ignition/opc-connection"),
        new("shared/config/resources/core/ignition/alarm-notification-profile", "config/resources/core/ignition/alarm-notification-profile"),
        new("shared/config/resources/core/ignition/image", "config/resources/core/ignition/image"),
    ];

    /// <summary>Moves the origin's <c>main</c> to <paramref name="commit"/> (as a push would).</summary>
    public void MoveMain(string commit) => IgnitionRepositoryGenerator.Git(OriginPath, "update-ref", "refs/heads/main", commit);
}

/// <summary>
/// Writes a deterministic pseudo-random Ignition-like repository: Perspective views (<c>view.json</c> +
/// <c>resource.json</c>), Python script libraries (<c>code.py</c> + <c>resource.json</c>), tag definitions, gateway
/// config resources, a few images; about 10 KB per file on average. Nothing of it is committed to Stoker's repository.
/// </summary>
public static class IgnitionRepositoryGenerator
{
    private const double AverageFileBytes = 10 * 1024;
    private const int MaxImageBytes = 3 * 1024 * 1024;

    private static readonly string[] Words =
    [
        "Tank", "Pump", "Valve", "Motor", "Conveyor", "Mixer", "Boiler", "Chiller", "Filler", "Capper", "Labeler", "Palletizer",
        "Level", "Pressure", "Temperature", "Flow", "Speed", "Current", "Status", "Alarm", "Setpoint", "Mode", "Runtime", "Count",
        "North", "South", "East", "West", "Line", "Cell", "Area", "Zone", "Packaging", "Batch", "Utility", "Overview", "Detail",
    ];

    private static readonly string[] Components =
    [
        "ia.display.label", "ia.display.icon", "ia.input.button", "ia.display.led-display", "ia.chart.timeseries",
        "ia.display.progress", "ia.input.toggle-switch", "ia.display.cylindrical-tank", "ia.container.flex", "ia.display.markdown",
    ];

    /// <summary>
    /// Creates the repository under <paramref name="folder"/> with <paramref name="files"/> files and
    /// <paramref name="changes"/> further commits of 10 changed files each (8 modified, 1 added, 1 deleted).
    /// </summary>
    public static IgnitionRepository Create(string folder, int files, int changes, Action<string> progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var clock = Stopwatch.StartNew();
        var origin = Path.Join(folder, "origin.git");
        Directory.CreateDirectory(folder);
        Git(folder, "init", "-q", "--bare", origin);
        Git(origin, "config", "gc.auto", "0");

        // git fast-import writes the objects straight into a pack, as a hosted repository keeps them: no work tree, no loose objects.
        var start = new ProcessStartInfo("git") { WorkingDirectory = origin, RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "fast-import", "--quiet", "--done" })
        {
            start.ArgumentList.Add(a);
        }

        using var import = Process.Start(start) ?? throw new InvalidOperationException("could not start git fast-import");
        var importErrors = import.StandardError.ReadToEndAsync();
        var stream = new BufferedStream(import.StandardInput.BaseStream, 1 << 20);
        var random = new Random(8);
        var plan = Plan(files, random);
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        long total = 0;
        var time = 1_767_225_600L;
        void Commit(string message, IEnumerable<(string Path, int Bytes)> writes, IEnumerable<string> deletes)
        {
            Command(stream, $"commit refs/heads/chain\ncommitter bench <bench@stoker.invalid> {time++} +0000\n");
            Data(stream, Encoding.UTF8.GetBytes(message));
            foreach (var path in deletes)
            {
                Command(stream, $"D {path}\n");
                sizes.Remove(path);
            }

            foreach (var (path, bytes) in writes)
            {
                var content = Content(path, bytes, random);
                sizes[path] = content.Length;
                Command(stream, $"M 100644 inline {path}\n");
                Data(stream, content);
            }

            Command(stream, "\n");
        }

        Commit("plant: full tree", plan, []);
        total = sizes.Values.Sum(v => (long)v);

        // Each change: 8 modified text files, 1 added view, 1 deleted script, like a small engineering change.
        var editable = plan.Where(p => !p.Path.EndsWith(".png", StringComparison.Ordinal) && p.Path.StartsWith("sites/", StringComparison.Ordinal)).Select(p => p.Path).ToList();
        var deletable = plan.Where(p => p.Path.EndsWith("/code.py", StringComparison.Ordinal)).Select(p => p.Path).ToList();
        for (var c = 1; c <= changes; c++)
        {
            var writes = new List<(string, int)>();
            for (var i = 0; i < 8; i++)
            {
                var path = editable[random.Next(editable.Count)];
                writes.Add((path, (int)Math.Max(200, sizes[path] * (0.9 + random.NextDouble() * 0.2))));
            }

            writes.Add(($"sites/plant/projects/Plant/com.inductiveautomation.perspective/views/Changes/Change{c}/view.json", 12_000));
            var victim = deletable[random.Next(deletable.Count)];
            deletable.Remove(victim);
            editable.Remove(victim);
            Commit($"change {c}: 10 files", writes, [victim]);
        }

        Command(stream, "done\n");
        stream.Flush();
        import.StandardInput.Close();
        import.WaitForExit();
        if (import.ExitCode != 0)
        {
            throw new InvalidOperationException($"git fast-import exited with {import.ExitCode}: {importErrors.Result.Trim()}");
        }

        var commits = Git(origin, "rev-list", "--reverse", "refs/heads/chain").Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        Git(origin, "update-ref", "refs/heads/main", commits[0]);
        Git(origin, "symbolic-ref", "HEAD", "refs/heads/main");
        progress($"sync: repository of {plan.Count:N0} files ({total / 1024.0 / 1024.0:0} MB) and {changes} change commits generated in {clock.Elapsed.TotalSeconds:0.0} s");
        return new IgnitionRepository(origin, commits, plan.Count, total, 10);
    }

    private static void Command(Stream stream, string text) => stream.Write(Encoding.UTF8.GetBytes(text));

    private static void Data(Stream stream, byte[] content)
    {
        Command(stream, $"data {content.Length}\n");
        stream.Write(content);
        Command(stream, "\n");
    }

    /// <summary>Paths and sizes: about 55% of the files in views, 25% in scripts, 15% config, 5% tags, a few images.</summary>
    private static List<(string Path, int Bytes)> Plan(int files, Random random)
    {
        var plan = new List<(string Path, int Bytes)>();
        var images = files >= 1000 ? 4 : 1;
        var imageBytes = (int)Math.Min(MaxImageBytes, files * AverageFileBytes * 0.06 / images);
        for (var i = 0; i < images; i++)
        {
            plan.Add(($"shared/config/resources/core/ignition/image/plant-photo-{i}/image.png", imageBytes));
        }

        plan.Add(("README.md", 800));
        plan.Add(("tools/lint.py", 3000));
        plan.Add(("sites/plant/projects/Plant/project.json", 300));
        var projects = Math.Max(1, files / 2500);
        var tagFiles = Math.Max(1, files * 5 / 100);
        var configPairs = Math.Max(3, files * 15 / 100 / 2);
        var scriptPairs = Math.Max(1, files * 25 / 100 / 2);
        var viewPairs = Math.Max(1, (files - plan.Count - tagFiles - 2 * configPairs - 2 * scriptPairs) / 2);

        // Text sizes are scaled so that the whole tree averages about 10 KB per file.
        var textBudget = (files * AverageFileBytes) - (images * (double)imageBytes);
        var weight = (viewPairs * (22.0 + 0.4)) + (scriptPairs * (5.0 + 0.4)) + (configPairs * (2.0 + 0.4)) + (tagFiles * 50.0);
        var unit = Math.Max(1.0, textBudget / weight);
        int Size(double weightOf) => (int)Math.Max(120, weightOf * unit * (0.3 + (random.NextDouble() * 1.4)));

        for (var v = 0; v < viewPairs; v++)
        {
            var folder = $"sites/plant/projects/{Project(v % projects)}/com.inductiveautomation.perspective/views/{Words[v % 12]}/{Words[12 + (v / 12 % 12)]}/View{v}";
            plan.Add(($"{folder}/view.json", Size(22)));
            plan.Add(($"{folder}/resource.json", Size(0.4)));
        }

        for (var s = 0; s < scriptPairs; s++)
        {
            var folder = $"sites/plant/projects/{Project(s % projects)}/ignition/script-python/{Words[24 + (s % 13)].ToLowerInvariant()}/lib{s}";
            plan.Add(($"{folder}/code.py", Size(5)));
            plan.Add(($"{folder}/resource.json", Size(0.4)));
        }

        string[] configKinds = ["database-connection", "opc-connection", "alarm-notification-profile"];
        for (var c = 0; c < configPairs; c++)
        {
            var folder = $"shared/config/resources/core/ignition/{configKinds[c % 3]}/{Words[c % Words.Length]}{c}";
            plan.Add(($"{folder}/config.json", Size(2)));
            plan.Add(($"{folder}/resource.json", Size(0.4)));
        }

        for (var t = 0; t < tagFiles; t++)
        {
            plan.Add(($"sites/plant/config/resources/core/ignition/tag-definition/default/{Words[24 + (t % 13)]}{t / 13}/tags.json", Size(50)));
        }

        return plan;
    }

    private static string Project(int index) => index == 0 ? "Plant" : $"Plant{index}";

    /// <summary>One file of about <paramref name="bytes"/> bytes in the style its name implies.</summary>
    private static byte[] Content(string relative, int bytes, Random random)
    {
        if (relative.EndsWith(".png", StringComparison.Ordinal))
        {
            var data = new byte[bytes];
            random.NextBytes(data);
            return data;
        }

        var text = new StringBuilder(bytes + 512);
        var name = Path.GetFileName(relative);
        if (name == "resource.json")
        {
            text.Append(CultureInfo.InvariantCulture, $"{{\n  \"scope\": \"G\",\n  \"version\": 1,\n  \"restricted\": false,\n  \"overridable\": true,\n  \"files\": [\"{(relative.Contains("script-python", StringComparison.Ordinal) ? "code.py" : relative.Contains("views", StringComparison.Ordinal) ? "view.json" : "config.json")}\"],\n  \"attributes\": {{\n    \"lastModification\": {{ \"actor\": \"engineer{random.Next(20)}\", \"timestamp\": \"2026-0{1 + random.Next(9)}-1{random.Next(10)}T0{random.Next(10)}:{random.Next(10, 60)}:00Z\" }},\n    \"lastModificationSignature\": \"{Hex(random, 32)}\"");
            while (text.Length < bytes - 8)
            {
                text.Append(CultureInfo.InvariantCulture, $",\n    \"{Word(random).ToLowerInvariant()}{random.Next(100)}\": \"{Word(random)} {random.Next(1000)}\"");
            }

            text.Append("\n  }\n}\n");
        }
        else if (name == "code.py")
        {
            text.Append("# Generated plant script library\nimport system\n\n");
            while (text.Length < bytes)
            {
                var w = Word(random);
                text.Append(CultureInfo.InvariantCulture, $"def read{w}{random.Next(1000)}(path, limit={random.Next(100)}):\n    \"\"\"Reads {w.ToLowerInvariant()} values below a tag path.\"\"\"\n    values = system.tag.readBlocking([path + '/{Word(random)}', path + '/{Word(random)}'])\n    if values[0].value > limit * {random.NextDouble():0.000}:\n        system.util.getLogger('{w}').info('over limit: %s' % values[0].value)\n    return [v.value for v in values]\n\n");
            }
        }
        else
        {
            // view.json, config.json, tags.json: nested JSON objects.
            text.Append("{\n  \"custom\": {},\n  \"params\": {},\n  \"props\": { \"defaultSize\": { \"height\": 600, \"width\": 1000 } },\n  \"root\": {\n    \"children\": [\n");
            var first = true;
            while (text.Length < bytes)
            {
                if (!first)
                {
                    text.Append(",\n");
                }

                first = false;
                var w = Word(random);
                text.Append(CultureInfo.InvariantCulture, $"      {{\n        \"meta\": {{ \"name\": \"{w}{random.Next(1000)}\" }},\n        \"position\": {{ \"x\": {random.Next(1000)}, \"y\": {random.Next(600)}, \"width\": {random.Next(20, 400)}, \"height\": {random.Next(20, 200)} }},\n        \"propConfig\": {{ \"props.value\": {{ \"binding\": {{ \"type\": \"tag\", \"config\": {{ \"tagPath\": \"[default]{Word(random)}/{w}{random.Next(100)}/{Word(random)}\", \"mode\": \"direct\" }} }} }} }},\n        \"props\": {{ \"text\": \"{w} {Word(random)} {random.Next(100)}\", \"style\": {{ \"classes\": \"plant/{Word(random).ToLowerInvariant()}\", \"fontSize\": {random.Next(10, 30)} }} }},\n        \"type\": \"{Components[random.Next(Components.Length)]}\"\n      }}");
            }

            text.Append("\n    ],\n    \"meta\": { \"name\": \"root\" },\n    \"type\": \"ia.container.coord\"\n  }\n}\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string Word(Random random) => Words[random.Next(Words.Length)];

    private static string Hex(Random random, int bytes)
    {
        var data = new byte[bytes];
        random.NextBytes(data);
        return Convert.ToHexStringLower(data);
    }

    /// <summary>Runs git in <paramref name="directory"/> and returns its stdout; throws with stderr on failure.</summary>
    public static string Git(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start git");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? stdout : throw new InvalidOperationException($"git {string.Join(' ', args)} in {directory} exited with {process.ExitCode}: {stderr.Result.Trim()}");
    }
}
