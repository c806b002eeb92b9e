using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Stoker.IgnitionSimulator;

/// <summary>The Ignition routes the agent uses, answered with Ignition 8.3's status codes and shapes.</summary>
internal static class GatewayEndpoints
{
    public const string ApiTokenHeader = "X-Ignition-API-Token";
    private const string ControlPrefix = "/_sim";

    /// <summary>Records every gateway request, then applies the delay and the "starting" 503 before any route runs.</summary>
    public static void UseGatewayBehaviour(this WebApplication app, SimulatorControl control, IgnitionSimulatorOptions options)
    {
        var token = Encoding.UTF8.GetBytes(options.ApiToken);
        var time = options.TimeProvider;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Stoker.IgnitionSimulator");
        var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(ControlPrefix, StringComparison.Ordinal))
            {
                await next(context);
                return;
            }

            var authorized = HasToken(context.Request, token);
            var sequence = control.Record(context.Request.Method, context.Request.Path.Value ?? "/", authorized);
            int? status = null;
            try
            {
                var delay = control.Delay;
                if (delay > TimeSpan.Zero)
                {
                    // A stopping simulator must not hold its shutdown (and a test's dispose) for a long delay.
                    using var waiting = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
                    await Task.Delay(delay, time, waiting.Token);
                }

                if (control.IsStarting)
                {
                    await WriteErrorPage(context, StatusCodes.Status503ServiceUnavailable);
                }
                else
                {
                    await next(context);
                }

                status = context.Response.StatusCode;
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || stopping.IsCancellationRequested)
            {
                // The client gave up (its timeout is shorter than our delay): nothing to answer. Stopping: a bare 503.
                if (!context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
                {
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    status = StatusCodes.Status503ServiceUnavailable;
                }
            }
            finally
            {
                control.Complete(sequence, status);
                SimulatorLog.Answered(
                    logger, context.Request.Method, context.Request.Path.Value ?? "/", status?.ToString(CultureInfo.InvariantCulture) ?? "no answer (client gone)",
                    authorized ? "ok" : "missing or wrong");
            }
        });
    }

    public static void MapGatewayRoutes(this WebApplication app, SimulatorControl control, IgnitionSimulatorOptions options)
    {
        var token = Encoding.UTF8.GetBytes(options.ApiToken);
        var time = options.TimeProvider;
        IReadOnlyList<string>? Projects() => control.ListProjects ? ProjectFolders.List(options.DataDir) : null;

        // Ignition answers /system/gwinfo without authentication: it is what load balancers and scripts poll.
        app.MapGet("/system/gwinfo", (HttpContext context) => TypedResults.Text(
            GatewayResponses.GwInfo("RUNNING", options.GatewayName, HttpPort(context), HttpsPort(context)), "text/plain", Encoding.UTF8));

        var api = app.MapGroup("/data/api/v1");
        api.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            if (!HasToken(context.Request, token))
            {
                return ErrorPage(context, StatusCodes.Status401Unauthorized);
            }

            return control.ForbidToken ? ErrorPage(context, StatusCodes.Status403Forbidden) : await next(invocation);
        });

        api.MapPost("/scan/projects", (HttpContext context) => Scan(context, control, ScanTarget.Projects, Projects()));
        api.MapPost("/scan/config", (HttpContext context) => Scan(context, control, ScanTarget.Config, Projects()));
        api.MapGet("/gateway-info", (HttpContext context) =>
            TypedResults.Json(GatewayResponses.GatewayInfo(options.GatewayName, context.Connection.LocalPort, Projects())));
        api.MapGet("/designers", () =>
        {
            var (sessions, uptime) = control.Designers;
            return TypedResults.Json(GatewayResponses.Designers(sessions, uptime, time.GetUtcNow()));
        });
    }

    private static IResult Scan(HttpContext context, SimulatorControl control, ScanTarget endpoint, IReadOnlyList<string>? projects)
    {
        if (control.TakeScanFailure(endpoint) is { } failure)
        {
            return ErrorPage(context, failure);
        }

        return TypedResults.Json(GatewayResponses.ScanAccepted(projects));
    }

    private static IResult ErrorPage(HttpContext context, int status) => TypedResults.Content(
        GatewayResponses.ErrorPage(status, context.Request.Path.Value ?? "/"), "text/html;charset=iso-8859-1", Encoding.Latin1, status);

    private static Task WriteErrorPage(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html;charset=iso-8859-1";
        return context.Response.WriteAsync(GatewayResponses.ErrorPage(status, context.Request.Path.Value ?? "/"), Encoding.Latin1, context.RequestAborted);
    }

    private static bool HasToken(HttpRequest request, byte[] token)
    {
        var presented = request.Headers[ApiTokenHeader].ToString();
        return presented.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), token);
    }

    private static int HttpPort(HttpContext context) => context.Request.IsHttps ? 0 : context.Connection.LocalPort;

    private static int HttpsPort(HttpContext context) => context.Request.IsHttps ? context.Connection.LocalPort : 0;
}
