namespace Stoker.Grains.Interfaces.Messages;

public enum RefRequestOutcome
{
    /// <summary>The ref differs from the one requested before: resolution starts.</summary>
    Accepted,

    /// <summary>The same ref was already requested (the webhook's idempotent 202).</summary>
    AlreadyRequested,

    /// <summary>No such GatewaySync.</summary>
    NotFound,
}
