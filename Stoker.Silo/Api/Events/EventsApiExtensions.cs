using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Stoker.Silo.Api.Events;

/// <summary>The routes and services of local mode's Events (core/v1) about GatewaySyncs, for kubectl describe (docs/kubectl.md).</summary>
public static class EventsApiExtensions
{
    public static IServiceCollection AddStokerEventsApi(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapStokerEventsApi(this IEndpointRouteBuilder endpoints) => endpoints;
}
