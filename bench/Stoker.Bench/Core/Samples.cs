namespace Stoker.Bench.Core;

/// <summary>Repeated measurements of one quantity, with the order statistics the report prints.</summary>
public sealed record Samples
{
    public Samples(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Values = [.. values.Order()];
        if (Values.Count == 0)
        {
            throw new ArgumentException("a figure needs at least one sample", nameof(values));
        }

        if (Values.Any(v => double.IsNaN(v) || double.IsInfinity(v)))
        {
            throw new ArgumentException("samples must be finite numbers", nameof(values));
        }
    }

    /// <summary>Sorted ascending.</summary>
    public IReadOnlyList<double> Values { get; }

    public int Count => Values.Count;

    public double Min => Values[0];

    public double Max => Values[^1];

    public double Median => Percentile(50);

    public double P99 => Percentile(99);

    /// <summary>Nearest-rank percentile: the smallest sample with at least <paramref name="p"/>% of samples at or below it.</summary>
    public double Percentile(double p)
    {
        if (p is <= 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "a percentile is in (0, 100]");
        }

        var rank = (int)Math.Ceiling(p / 100 * Values.Count);
        return Values[Math.Clamp(rank, 1, Values.Count) - 1];
    }

    public double Get(Statistic statistic) => statistic switch
    {
        Statistic.Median => Median,
        Statistic.P99 => P99,
        Statistic.Max => Max,
        Statistic.Min => Min,
        _ => throw new ArgumentOutOfRangeException(nameof(statistic), statistic, null),
    };

    public static Samples Of(params double[] values) => new(values);
}

public enum Statistic
{
    Median,
    P99,
    Max,
    Min,
}
