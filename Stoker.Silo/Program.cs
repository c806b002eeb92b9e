using Orleans.Dashboard;
using Prometheus;
using Stoker.Silo.Api;
using Stoker.Silo.Dashboard;
using Stoker.Silo.Hosting;
using Stoker.Silo.Webhooks;

// The control plane: Orleans silo, local apply API and manifests folder, webhook receiver, metrics, dashboard.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.AddFilter("Polly", LogLevel.Warning).AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
if (builder.Configuration.GetValue<bool>("Stoker:JsonLogs"))
{
    builder.Logging.ClearProviders().AddJsonConsole();
}

builder.AddStokerSilo();
var dashboard = builder.Configuration.GetSection(Stoker.Silo.Dashboard.DashboardOptions.SectionName).Get<Stoker.Silo.Dashboard.DashboardOptions>() ?? new Stoker.Silo.Dashboard.DashboardOptions();
if (dashboard.Enabled)
{
    builder.UseOrleans(silo => silo.AddDashboard());
}

builder.Services.AddStokerApplyApi(builder.Configuration);
builder.Services.AddStokerWebhookReceiver(builder.Configuration);
builder.Services.AddHealthChecks();

var app = builder.Build();
app.UseDashboardAuth(dashboard, "/dashboard");
app.MapHealthChecks("/healthz");
app.MapHealthChecks("/readyz");
app.MapStokerApplyApi();
app.MapStokerWebhookReceiver();
app.MapMetrics("/metrics");
if (dashboard.Enabled)
{
    app.MapOrleansDashboard(routePrefix: "/dashboard");
}

await app.RunAsync();
