namespace Stoker.IgnitionSimulator;

/// <summary>Which scan endpoint a configured scan failure applies to.</summary>
public enum ScanTarget
{
    Both,
    Projects,
    Config,
}
