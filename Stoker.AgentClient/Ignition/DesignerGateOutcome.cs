namespace Stoker.AgentClient.Ignition;

/// <summary>Why the designer-session gate let a sync through or blocked it.</summary>
public enum DesignerGateOutcome
{
    /// <summary>No Designer open.</summary>
    NoSessions,

    /// <summary>The gateway could not list Designers; the gate fails open.</summary>
    QueryFailed,

    /// <summary>Designers open, policy <c>proceed</c>.</summary>
    Proceeded,

    /// <summary>Designers open, a policy the gate does not know; proceeds like the original.</summary>
    UnknownPolicy,

    /// <summary>Policy <c>wait</c>: the Designers closed in time.</summary>
    SessionsClosed,

    /// <summary>Policy <c>fail</c>: blocked at once.</summary>
    Failed,

    /// <summary>Policy <c>wait</c>: still open after the maximum wait; blocked.</summary>
    TimedOut,

    /// <summary>The wait was cancelled (shutdown); blocked.</summary>
    Cancelled,
}
