namespace Stoker.AgentClient.Ignition;

/// <summary>
/// What the designer-session gate decided. <see cref="ErrorMessage"/> is the report's message when blocked
/// (<c>designer sessions active (policy=fail): alice on P</c>); <see cref="ActiveAtStart"/> feeds
/// <c>stoker_agent_designer_sessions_active</c>; <see cref="Sessions"/> are the sessions last seen.
/// </summary>
public sealed record DesignerGateDecision(
    string Policy, DesignerGateOutcome Outcome, int ActiveAtStart, IReadOnlyList<DesignerSession> Sessions, string? ErrorMessage)
{
    public bool Blocked => Outcome is DesignerGateOutcome.Failed or DesignerGateOutcome.TimedOut or DesignerGateOutcome.Cancelled;

    /// <summary><c>alice on P, bob on Q</c>.</summary>
    public string Summary => string.Join(", ", Sessions);

    public override string ToString() => $"{Outcome} (policy {Policy}){(ErrorMessage is null ? "" : $": {ErrorMessage}")}";
}
