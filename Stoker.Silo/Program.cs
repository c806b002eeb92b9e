using Prometheus;
using Stoker.Silo.Admission;
using Stoker.Silo.Api;
using Stoker.Silo.Audit;
using Stoker.Silo.Authentication;
using Stoker.Silo.Dashboard;
using Stoker.Silo.Hosting;
using Stoker.Silo.Http;
using Stoker.Silo.Kubernetes;
using Stoker.Silo.Security;
using Stoker.Silo.Webhooks;

// The control plane: Orleans silo, local apply API and manifests folder, webhook receiver, metrics, dashboard.
var builder = WebApplication.CreateBuilder(args);
// ASP.NET's request lines ("Request starting … /webhook/ns/x") carry the decoded path as sent, line breaks included,
// so any caller could write a line of its own into the log; our own logs escape what callers send.
builder.Logging.AddFilter("Polly", LogLevel.Warning).AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error)
    .AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
if (builder.Configuration.GetValue<bool>("Stoker:JsonLogs"))
{
    builder.Logging.ClearProviders().AddJsonConsole();
}

builder.AddStokerSilo();
// Before anything listens: refuses to start on a reachable address without a token source (docs/security.md).
builder.AddStokerApiAuthentication();
builder.AddStokerDashboard();
// Mutating API requests and credential deliveries as JSON lines, never a body (docs/security.md, "Audit log").
builder.AddStokerAudit();

// Kestrel's limits (connections, slow headers and bodies, header and body sizes): Stoker:Http.
builder.Services.AddStokerHttpLimits(builder.Configuration);
// HTTPS on Stoker:Silo:HttpsPort (8443) beside the HTTP port, with the silo's certificate: kubectl's port.
builder.Services.AddStokerHttpsEndpoint(builder.Configuration);
builder.Services.AddStokerApplyApi(builder.Configuration);
builder.Services.AddStokerKubernetes(builder.Configuration);
builder.Services.AddStokerWebhookReceiver(builder.Configuration);
builder.Services.AddStokerHealthChecks(builder.Configuration);
// Off unless Stoker:Admission:Enabled: the webhooks' HTTPS port is opened only for Kubernetes mode.
builder.Services.AddStokerAdmission(builder.Configuration);

var app = builder.Build();
app.UseStokerAudit();
app.UseStokerApiAuthentication();
app.UseStokerDashboard();
app.MapStokerHealthChecks();
app.MapStokerApplyApi();
app.MapStokerAgentTokens();
app.MapStokerWebhookReceiver();
app.MapMetrics("/metrics");

await app.RunAsync();
