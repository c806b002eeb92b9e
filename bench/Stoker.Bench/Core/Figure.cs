namespace Stoker.Bench.Core;

/// <summary>
/// One reported quantity: our samples, optionally the baseline's samples measured in the same run (or an analytical
/// baseline, stated as a single value with <see cref="BaselineNote"/> saying how it was derived), and the target.
/// </summary>
public sealed record Figure(string Name, string Unit, Samples Ours)
{
    /// <summary>What the baseline is, e.g. <c>git fetch + checkout + rsync -a --delete</c>.</summary>
    public string? BaselineName { get; init; }

    public Samples? Baseline { get; init; }

    /// <summary>For a baseline that is computed, not measured (the original's 3 s ConfigMap poll).</summary>
    public string? BaselineNote { get; init; }

    public Target? Target { get; init; }

    /// <summary>Median of ours over median of the baseline.</summary>
    public double? Ratio => Baseline is { Median: > 0 } b ? Ours.Median / b.Median : null;

    public bool? Met => Target?.IsMet(this);
}

public enum Comparison
{
    AtMost,
    AtLeast,
}

/// <summary>
/// A goal for a figure: a statistic of ours (or of the ratio ours/baseline, compared at the median) against a bound.
/// </summary>
public sealed record Target(Statistic Statistic, Comparison Comparison, double Bound, bool OnRatio = false)
{
    public static Target P99AtMost(double bound) => new(Statistic.P99, Comparison.AtMost, bound);

    public static Target MedianAtMost(double bound) => new(Statistic.Median, Comparison.AtMost, bound);

    public static Target MedianAtLeast(double bound) => new(Statistic.Median, Comparison.AtLeast, bound);

    public static Target MaxAtMost(double bound) => new(Statistic.Max, Comparison.AtMost, bound);

    public static Target RatioAtMost(double bound) => new(Statistic.Median, Comparison.AtMost, bound, OnRatio: true);

    public bool? IsMet(Figure figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        double? value = OnRatio ? figure.Ratio : figure.Ours.Get(Statistic);
        return value is not { } v ? null : Comparison == Comparison.AtMost ? v <= Bound : v >= Bound;
    }

    public string Describe(string unit) => OnRatio
        ? $"ratio {(Comparison == Comparison.AtMost ? "≤" : "≥")} {Bound:0.##}×"
        : $"{Statistic.ToString().ToLowerInvariant()} {(Comparison == Comparison.AtMost ? "≤" : "≥")} {Format.Number(Bound)} {unit}";
}
