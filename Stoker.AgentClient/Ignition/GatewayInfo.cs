namespace Stoker.AgentClient.Ignition;

/// <summary>The parts of Ignition's <c>gateway-info</c> answer worth logging; absent fields stay null.</summary>
public sealed record GatewayInfo(string? Name, string? IgnitionVersion, string? Edition, string? RedundancyRole);
