namespace Stoker.Bench.Core;

/// <summary>What one benchmark reports: its parameters, its figures, and notes (how it was measured, where the time goes).</summary>
public sealed record BenchmarkResult(string Name, string Title)
{
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<Figure> Figures { get; init; } = [];

    public IReadOnlyList<string> Notes { get; init; } = [];

    public TimeSpan Duration { get; init; }
}
