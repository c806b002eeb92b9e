namespace Stoker.Grains.Interfaces.Resources;

public static class RefResolutionStatus
{
    public const string NotResolved = "NotResolved";
    public const string Resolving = "Resolving";
    public const string Resolved = "Resolved";
    public const string Error = "Error";

    public static IReadOnlyList<string> All { get; } = [NotResolved, Resolving, Resolved, Error];
}
