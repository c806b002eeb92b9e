using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Stoker.IgnitionSimulator;

/// <summary>
/// The simulator's own control surface under <c>/_sim/</c>, for users that run it as a separate process. Not part of
/// Ignition, not recorded as calls, and not protected by the API token.
/// </summary>
internal static class ControlEndpoints
{
    public static void MapControlRoutes(this WebApplication app, SimulatorControl control)
    {
        var sim = app.MapGroup("/_sim");
        sim.MapGet("/calls", () => TypedResults.Ok(control.Calls));
        sim.MapDelete("/calls", () =>
        {
            control.ClearCalls();
            return TypedResults.NoContent();
        });
        sim.MapGet("/control", () => TypedResults.Ok(control.State));
        sim.MapPost("/control", async Task<Results<Ok<SimulatorState>, BadRequest<ControlError>>> (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var (changes, errors) = ControlRequest.Parse(await reader.ReadToEndAsync(request.HttpContext.RequestAborted));
            if (errors.Count > 0)
            {
                return TypedResults.BadRequest(new ControlError(errors));
            }

            foreach (var change in changes)
            {
                change(control);
            }

            return TypedResults.Ok(control.State);
        });
    }
}
