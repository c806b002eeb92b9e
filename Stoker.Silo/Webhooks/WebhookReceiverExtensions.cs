using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Stoker.Silo.Webhooks;

public static partial class WebhookReceiverExtensions
{
    /// <summary>
    /// Registers the webhook receiver: options from <c>Stoker:Webhook</c> (global secrets also from
    /// <c>WEBHOOK_HMAC_SECRET</c>/<c>WEBHOOK_BEARER_TOKEN</c>), validated at start, and
    /// the endpoint (the per-GatewaySync rate limit is kept by the GatewaySync grain). Needs <see cref="IGrainFactory"/> and <c>ISecretStore</c> (the silo and <c>AddStokerGrains</c>
    /// register them).
    /// </summary>
    public static IServiceCollection AddStokerWebhookReceiver(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<WebhookReceiverOptions>()
            .Bind(configuration.GetSection(WebhookReceiverOptions.SectionName))
            .PostConfigure(o =>
            {
                if (string.IsNullOrEmpty(o.HmacSecret))
                {
                    o.HmacSecret = configuration[WebhookReceiverOptions.HmacSecretEnvironmentVariable];
                }

                if (string.IsNullOrEmpty(o.BearerToken))
                {
                    o.BearerToken = configuration[WebhookReceiverOptions.BearerTokenEnvironmentVariable];
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookReceiverOptions>, WebhookReceiverOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WebhookReceiverEndpoint>();
        return services;
    }

    /// <summary>
    /// Maps <c>/webhook/{namespace}/{crName}</c> (POST; other methods 405 with <c>Allow: POST</c>), open to anonymous
    /// callers because the receiver authenticates them itself. Resolving the options here fails fast on bad settings.
    /// </summary>
    public static IEndpointRouteBuilder MapStokerWebhookReceiver(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<WebhookReceiverOptions>>().Value;
        var logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebhookReceiverEndpoint));
        var hasGlobalSecret = !string.IsNullOrEmpty(options.HmacSecret) || !string.IsNullOrEmpty(options.BearerToken);
        if (!hasGlobalSecret && options.AllowUnauthenticated)
        {
            LogInsecure(logger);
        }
        else if (!hasGlobalSecret)
        {
            LogNoGlobalSecret(logger);
        }

        endpoints.Map(WebhookReceiverEndpoint.Pattern, static context => context.RequestServices.GetRequiredService<WebhookReceiverEndpoint>().HandleAsync(context))
            .WithName("StokerWebhookReceiver")
            .AllowAnonymous();
        return endpoints;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook receiver in insecure mode (Stoker:Webhook:AllowUnauthenticated): resources without a secret accept unauthenticated requests")]
    private static partial void LogInsecure(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook receiver: no global secret (Stoker:Webhook:HmacSecret, Stoker:Webhook:BearerToken); only resources annotated stoker.io/webhook-secret accept requests")]
    private static partial void LogNoGlobalSecret(ILogger logger);
}
