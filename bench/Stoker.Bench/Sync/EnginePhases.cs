using System.Globalization;
using System.Text.RegularExpressions;

namespace Stoker.Bench.Sync;

/// <summary>
/// The sync engine's own stopwatch, from its three log lines (SyncEngine logs the elapsed time at each): plan (load the
/// manifest, resolve the mappings, desired tree from the tree diff or a full walk), compare (scan the live tree and
/// compare), apply (delete orphans, write files, save the manifest).
/// </summary>
internal sealed partial record EnginePhases(double PlanMs, double CompareMs, double ApplyMs)
{
    public double TotalMs => PlanMs + CompareMs + ApplyMs;

    /// <summary>The phases of the last sync logged in <paramref name="log"/>, or null when its lines are not all there.</summary>
    public static EnginePhases? LastIn(string log)
    {
        var planned = Planned().Matches(log);
        var compared = Compared().Matches(log);
        var finished = Finished().Matches(log);
        if (planned.Count == 0 || compared.Count == 0 || finished.Count == 0)
        {
            return null;
        }

        double Ms(Match m) => double.Parse(m.Groups["ms"].Value, CultureInfo.InvariantCulture);
        var (p, c, f) = (Ms(planned[^1]), Ms(compared[^1]), Ms(finished[^1]));
        return new EnginePhases(p, c - p, f - c);
    }

    public static string Describe(IReadOnlyCollection<EnginePhases> phases)
    {
        if (phases.Count == 0)
        {
            return "not logged";
        }

        double Median(Func<EnginePhases, double> of) => new Core.Samples(phases.Select(of)).Median;
        return FormattableString.Invariant($"plan {Median(p => p.PlanMs):0} ms, compare {Median(p => p.CompareMs):0} ms, apply {Median(p => p.ApplyMs):0} ms");
    }

    [GeneratedRegex(@"Planned commit \w+: .*? at (?<ms>[0-9.]+) ms")]
    private static partial Regex Planned();

    [GeneratedRegex(@"Compared: .*? at (?<ms>[0-9.]+) ms")]
    private static partial Regex Compared();

    [GeneratedRegex(@"Synced commit \w+: .*? in (?<ms>[0-9.]+) ms")]
    private static partial Regex Finished();
}
