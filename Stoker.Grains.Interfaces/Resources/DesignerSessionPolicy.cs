namespace Stoker.Grains.Interfaces.Resources;

/// <summary>What the agent does while Ignition Designer sessions are open.</summary>
public static class DesignerSessionPolicy
{
    public const string Proceed = "proceed";
    public const string Wait = "wait";
    public const string Fail = "fail";

    public static IReadOnlyList<string> All { get; } = [Proceed, Wait, Fail];
}
