namespace Stoker.IgnitionSimulator;

/// <summary>The simulator's behaviour at one moment, as <c>GET /_sim/control</c> shows it.</summary>
public sealed record SimulatorState(
    bool Starting,
    DateTimeOffset? StartingUntil,
    long DelayMs,
    ScanFailure? ScanFailure,
    IReadOnlyList<SimulatedDesignerSession> DesignerSessions,
    bool ListProjects,
    bool ForbidToken,
    int CallCount);
