using Spectre.Console;
using Spectre.Console.Rendering;
using Stoker.Demo.Tour;

namespace Stoker.Demo.View;

/// <summary>The terminal display: a checklist and a gateway table redrawn in place ten times a second.</summary>
public sealed class LiveTourView(IAnsiConsole console) : ITourView
{
    private static readonly string[] Spinner = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

    public async Task RunAsync(TourState state, Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(work);
        await console.Live(Render(state))
            .AutoClear(false)
            .Overflow(VerticalOverflow.Visible)
            .StartAsync(async context =>
            {
                var task = work();
                while (!task.IsCompleted)
                {
                    context.UpdateTarget(Render(state));
                    await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(100)));
                }

                context.UpdateTarget(Render(state));
                await task;
            });
    }

    public void WriteLine(string line) => console.WriteLine(line);

    public static IRenderable Render(TourState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var (steps, gateways, notes) = state.Snapshot();
        var items = new List<IRenderable> { new Markup($"[bold]{Markup.Escape(state.Title)}[/]"), new Text("") };

        var checklist = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn(new GridColumn().NoWrap()).AddColumn().AddColumn(new GridColumn().RightAligned());
        foreach (var step in steps)
        {
            var mark = step.State switch
            {
                StepState.Done => "[green]✔[/]",
                StepState.Failed => "[red]✘[/]",
                StepState.Running => "[yellow]" + Spinner[Environment.TickCount64 / 100 % Spinner.Length] + "[/]",
                _ => " ",
            };
            checklist.AddRow(
                new Markup(mark),
                new Markup(step.State == StepState.Failed ? $"[red]{Markup.Escape(step.Title)}[/]" : Markup.Escape(step.Title)),
                new Markup($"[grey]{Markup.Escape(step.Detail)}[/]"),
                new Markup(step.Took is { } took ? $"[grey]{TourState.Format(took)}[/]" : ""));
        }

        items.Add(checklist);
        if (gateways.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("Gateway").AddColumn("Profile").AddColumn("Status").AddColumn("Commit")
                .AddColumn(new TableColumn("Files").RightAligned()).AddColumn("Projects")
                .AddColumn(new TableColumn("Sync took").RightAligned()).AddColumn(new TableColumn("Reached in").RightAligned());
            foreach (var row in gateways)
            {
                var status = row.Status switch
                {
                    "Synced" => "[green]Synced[/]",
                    "Error" => "[red]Error[/]",
                    "Pending" => "[yellow]Pending[/]",
                    var other => $"[grey]{Markup.Escape(other)}[/]",
                };
                table.AddRow(
                    new Markup(Markup.Escape(row.Name)),
                    new Markup(Markup.Escape(row.Profile)),
                    new Markup(status + (row.Message is { Length: > 0 } m ? $" [grey]{Markup.Escape(m)}[/]" : "")),
                    new Markup(row.Commit is { } c ? Markup.Escape(TourState.Short(c)) : "[grey]-[/]"),
                    new Markup(row.FilesChanged?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "[grey]-[/]"),
                    new Markup(row.Projects is { Count: > 0 } p ? Markup.Escape(string.Join(", ", p)) : "[grey]-[/]"),
                    new Markup(row.SyncDuration is { } d ? Markup.Escape(d) : "[grey]-[/]"),
                    new Markup(row.ReachedAfter is { } r ? TourState.Format(r) : "[grey]-[/]"));
            }

            items.Add(new Text(""));
            items.Add(table);
        }

        if (notes.Count > 0)
        {
            items.Add(new Text(""));
            items.AddRange(notes.Select(n => new Text(n)));
        }

        return new Rows(items);
    }
}
