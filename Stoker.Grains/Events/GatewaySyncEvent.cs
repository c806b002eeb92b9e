namespace Stoker.Grains.Events;

/// <summary>One event about a GatewaySync: who reports it, Normal or Warning, a reason from <see cref="EventReasons"/> and a message.</summary>
public sealed record GatewaySyncEvent(string Component, string Type, string Reason, string Message);
