namespace Stoker.Tests.Docs;

/// <summary>
/// The commands a README shows: each logical line of its shell code blocks (continuations joined, comment lines
/// dropped) and each command in its Commands table. A command is covered when this test class runs it (the
/// by-hand section) or when another test or CI runs exactly it (<see cref="RunElsewhere"/>).
/// </summary>
internal static class ReadmeCommands
{
    public const string ByHandSection = "Running the pieces by hand";
    public const string CommandsSection = "Commands";

    private static readonly string[] ShellLanguages = ["bash", "sh", "shell", "console", ""];

    /// <summary>Commands other tests or CI run as the README writes them, and where.</summary>
    public static IReadOnlyDictionary<string, string> RunElsewhere { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Stoker.Tests.Demo.DemoRunTests.RunCommand] = $"{typeof(Stoker.Tests.Demo.DemoRunTests).FullName}.{nameof(Stoker.Tests.Demo.DemoRunTests.RunSh_NonInteractive_SyncsBothGateways_PropagatesWebhookChange_LeavesNothingRunning)} (with --non-interactive)",
        ["bash scripts/test.sh"] = ".ci/run (exec bash scripts/test.sh)",
        ["bash bench/run.sh"] = $"{typeof(Stoker.Tests.Bench.BenchRunScriptTests).FullName} (the script builds and execs the stoker-bench that the Stoker.Tests.Bench smoke tests run)",
        ["docker compose up --build"] = $"{typeof(Stoker.Tests.Demo.ComposeTests).FullName}.{nameof(Stoker.Tests.Demo.ComposeTests.DockerComposeConfig_ComposeFile_IsAccepted)} (docker-compose config; no Docker engine here) and the other ComposeTests",
    };

    public static IReadOnlyList<ReadmeCommand> Extract(MarkdownFile readme)
    {
        var commands = new List<ReadmeCommand>();
        foreach (var row in readme.Rows.Where(r => r.Section == CommandsSection && r.Header.Contains("Command")))
        {
            commands.AddRange(MarkdownFile.CodeSpans(row.Cell("Command")).Select(c => new ReadmeCommand(row.Section, c, row.Line, InCodeBlock: false)));
        }

        foreach (var block in readme.CodeBlocks.Where(b => ShellLanguages.Contains(b.Language)))
        {
            var pending = "";
            var start = 0;
            for (var i = 0; i < block.Lines.Count; i++)
            {
                var line = block.Lines[i].Trim();
                if (pending.Length == 0 && (line.Length == 0 || line.StartsWith('#')))
                {
                    continue;
                }

                if (pending.Length == 0)
                {
                    start = block.Line + 1 + i;
                }

                if (line.EndsWith('\\'))
                {
                    pending += line[..^1].TrimEnd() + " ";
                    continue;
                }

                commands.Add(new ReadmeCommand(block.Section, pending + line, start, InCodeBlock: true));
                pending = "";
            }

            if (pending.Length > 0)
            {
                commands.Add(new ReadmeCommand(block.Section, pending.TrimEnd(), start, InCodeBlock: true));
            }
        }

        return commands;
    }

    /// <summary>Commands that nothing runs: not in the by-hand block (which this class runs), not run elsewhere.</summary>
    public static IReadOnlyList<ReadmeCommand> Uncovered(IEnumerable<ReadmeCommand> commands) =>
        [.. commands.Where(c => !(c.InCodeBlock && c.Section == ByHandSection) && !RunElsewhere.ContainsKey(c.Text))];

    internal sealed record ReadmeCommand(string Section, string Text, int Line, bool InCodeBlock)
    {
        public override string ToString() => $"README.md line {Line} ({Section}): {Text}";
    }
}
