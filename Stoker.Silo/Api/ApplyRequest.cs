using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Silo.Api;

/// <summary>A request body read for a create or replace: the resource to apply, or the Status to refuse it with.</summary>
public sealed record ApplyRequest(GatewaySync? Resource, ApiStatus? Error);
