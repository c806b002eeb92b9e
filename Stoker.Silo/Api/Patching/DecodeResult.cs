using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Silo.Api.Patching;

/// <summary>A GatewaySync decoded under a fieldValidation mode: the resource and its warnings, or the Status refusing it.</summary>
public sealed record DecodeResult(GatewaySync? Resource, IReadOnlyList<string> Warnings, ApiStatus? Error);
