using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Stoker.Silo.Http;

public static class HttpLimitsExtensions
{
    /// <summary>
    /// Binds <c>Stoker:Http</c> (validated at start) and applies it to Kestrel's limits: connection counts, header
    /// timeout, size and count, the minimum body data rate and the default body limit.
    /// </summary>
    public static IServiceCollection AddStokerHttpLimits(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<HttpLimitsOptions>()
            .Bind(configuration.GetSection(HttpLimitsOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HttpLimitsOptions>, HttpLimitsOptionsValidator>());
        services.AddOptions<KestrelServerOptions>().Configure<IOptionsMonitor<HttpLimitsOptions>>((kestrel, monitor) =>
        {
            if (ValidOrNull(monitor) is { } limits)
            {
                Apply(kestrel.Limits, limits);
            }
        });
        return services;
    }

    /// <summary>Copies <paramref name="options"/> onto Kestrel's limits.</summary>
    public static void Apply(KestrelServerLimits limits, HttpLimitsOptions options)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(options);
        limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
        limits.MaxConcurrentConnections = options.MaxConcurrentConnections;
        limits.MaxConcurrentUpgradedConnections = options.MaxConcurrentUpgradedConnections;
        limits.RequestHeadersTimeout = options.RequestHeadersTimeout;
        limits.KeepAliveTimeout = options.KeepAliveTimeout;
        limits.MinRequestBodyDataRate = new MinDataRate(options.MinRequestBodyDataRate, options.MinRequestBodyDataRateGracePeriod);
        limits.MaxRequestHeaderCount = options.MaxRequestHeaderCount;
        limits.MaxRequestHeadersTotalSize = options.MaxRequestHeadersTotalSize;
        limits.MaxRequestLineSize = options.MaxRequestLineSize;
    }

    /// <summary>
    /// The settings, or null when they are invalid: Kestrel reads its options while the host is built, before
    /// validation can report; with bad settings the host never starts (ValidateOnStart names every problem).
    /// </summary>
    private static HttpLimitsOptions? ValidOrNull(IOptionsMonitor<HttpLimitsOptions> monitor)
    {
        try
        {
            return monitor.CurrentValue;
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }
}
