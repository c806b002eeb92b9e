using k8s;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stoker.Grains.Interfaces.Security;
using Stoker.Silo.Hosting;
using Stoker.Silo.Kubernetes;

namespace Stoker.Silo.Authentication;

public static class ApiAuthenticationExtensions
{
    /// <summary>
    /// Authentication and authorization of every route of the HTTP port (section <c>Stoker:Api:Authentication</c>,
    /// docs/security.md "API authentication"): open by exception only (the anonymous paths; <c>/webhook/…</c> checks its
    /// own signatures). Decided here, before anything listens: a loopback-only silo makes (or reuses) its admin token
    /// in the state folder; a silo reachable from other machines with no token source refuses to start unless
    /// anonymous access is explicitly allowed; a bad tokens file refuses to start naming its lines.
    /// </summary>
    public static ApiAuthenticationPlan AddStokerApiAuthentication(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var options = configuration.GetSection(ApiAuthenticationOptions.SectionName).Get<ApiAuthenticationOptions>() ?? new ApiAuthenticationOptions();
        var validation = new ApiAuthenticationOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(ApiAuthenticationOptions.SectionName, typeof(ApiAuthenticationOptions), validation.Failures);
        }

        var tokensMode = options.Mode == ApiAuthenticationMode.Tokens;
        var kubernetes = tokensMode && SiloModeResolver.Resolve(configuration) == SiloMode.Kubernetes;
        var nonLoopback = ListenAddresses.FirstNonLoopback(ListenAddresses.Configured(configuration));
        if (tokensMode && nonLoopback is not null && options.TokensFile is null && !kubernetes && !options.AllowAnonymous)
        {
            throw new InvalidOperationException(
                $"The HTTP port listens on {nonLoopback}, which other machines can reach, and no API token source is set: set "
                + $"{ApiAuthenticationOptions.SectionName}:TokensFile to a file of hashed tokens (docs/local-mode.md, \"API tokens\"), "
                + $"listen on 127.0.0.1 only, or set {ApiAuthenticationOptions.SectionName}:AllowAnonymous=true to serve every route without authentication");
        }

        if (tokensMode && options.TokensFile is { } file)
        {
            // Read now so that a bad file stops the silo before it listens, naming the lines to fix.
            ApiTokensFile.Read(file);
        }

        string? adminTokenFile = null;
        string? adminToken = null;
        if (tokensMode && nonLoopback is null)
        {
            var silo = configuration.GetSection(StokerSiloOptions.SectionName).Get<StokerSiloOptions>() ?? new StokerSiloOptions();
            adminToken = AdminToken.Ensure(silo.EffectiveStatePath);
            adminTokenFile = StokerStateFolder.AdminTokenFile(silo.EffectiveStatePath);
        }

        var plan = new ApiAuthenticationPlan(adminTokenFile, tokensMode ? options.TokensFile : null, kubernetes, nonLoopback, options.AllowAnonymous);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(plan);
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(options);
        services.AddSingleton<ApiAccessRules>();
        services.AddSingleton(sp => new ApiTokenStore(plan.TokensFile, adminToken, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ApiTokenStore>>()));
        if (kubernetes)
        {
            // The client is the one Kubernetes mode registers (AddStokerKubernetes); asked for at the first review.
            services.AddSingleton(sp => new KubernetesApiReviewer(
                sp.GetRequiredService<IKubernetes>, sp.GetRequiredService<IOptions<ApiAuthenticationOptions>>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<KubernetesApiReviewer>>()));
            services.AddSingleton(sp => new KubernetesApiReviewerAccessor(sp.GetRequiredService<KubernetesApiReviewer>()));
        }
        else
        {
            services.AddSingleton(new KubernetesApiReviewerAccessor(null));
        }

        services.AddAuthentication(ApiAuthenticationDefaults.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiAuthenticationHandler>(ApiAuthenticationDefaults.SchemeName, null);
        var policy = new AuthorizationPolicyBuilder(ApiAuthenticationDefaults.SchemeName).AddRequirements(ApiAccessRequirement.Instance).Build();
        // The fallback policy covers every endpoint without authorization metadata, and requests no endpoint matched.
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiAuthenticationDefaults.PolicyName, policy)
            .SetDefaultPolicy(policy)
            .SetFallbackPolicy(policy);
        services.AddSingleton<IAuthorizationHandler, ApiAccessHandler>();
        services.AddHostedService<ApiAuthenticationStartupLog>();
        return plan;
    }

    /// <summary>The authentication and authorization middleware; after routing (WebApplication's own), before any endpoint runs.</summary>
    public static WebApplication UseStokerApiAuthentication(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>Whether this host composed <see cref="AddStokerApiAuthentication"/>: endpoints then require its policy explicitly too.</summary>
    public static bool HasStokerApiAuthentication(this IServiceProvider services) => services.GetService<ApiAuthenticationPlan>() is not null;
}
