using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stoker.Grains.Interfaces.Validation;
using Stoker.Silo.Api.Secrets;
using Stoker.Silo.Authentication;

namespace Stoker.Silo.Api.Discovery;

/// <summary>
/// Namespaces in local mode (docs/kubectl-reads.md): there are no Namespace objects, every valid name is a namespace
/// one can apply to, so <c>GET /api/v1/namespaces/{name}</c> answers an active Namespace for any valid name (kubectl
/// asks it after a NotFound to tell a missing object from a missing namespace), and the list names the namespaces
/// that hold something (GatewaySyncs, Secrets) plus <c>default</c>.
/// </summary>
public sealed class NamespaceEndpoints(GatewaySyncStore store, IServiceProvider services, ILogger<NamespaceEndpoints> logger)
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var routes = endpoints.MapGroup("/api/v1/namespaces").WithMetadata(ApiAccess.Namespaces);
        if (endpoints.ServiceProvider.HasStokerApiAuthentication())
        {
            routes.RequireAuthorization(ApiAuthenticationDefaults.PolicyName);
        }

        routes.MapGet("", (NamespaceEndpoints e, HttpRequest r) => e.GuardedListAsync(r));
        routes.MapGet("/{name}", (string name) => Get(name));
    }

    private static IResult Get(string name) =>
        KubernetesNames.IsDnsSubdomain(name, out var rule)
            ? new ApiResponse(StatusCodes.Status200OK, Namespace(name))
            : ApiResponse.From(ApiStatuses.BadRequest($"namespace \"{name}\" in the URL: {rule}"));

    private Task<IResult> GuardedListAsync(HttpRequest request) => ApiGuard.RunAsync(logger, request, ListAsync);

    private async Task<IResult> ListAsync()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal) { Grains.Interfaces.Resources.ObjectMeta.DefaultNamespace };
        foreach (var resource in await store.ListAsync(null))
        {
            names.Add(resource.Metadata.Namespace ?? Grains.Interfaces.Resources.ObjectMeta.DefaultNamespace);
        }

        if (services.GetService<SecretFolderStore>() is { Root: not null } secrets)
        {
            foreach (var (ns, _) in secrets.List(null))
            {
                names.Add(ns);
            }
        }

        return new ApiResponse(StatusCodes.Status200OK, new JsonObject
        {
            ["kind"] = "NamespaceList",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = "" },
            ["items"] = new JsonArray(names.Select(n => (JsonNode)Namespace(n)).ToArray()),
        });
    }

    private static JsonObject Namespace(string name) => new()
    {
        ["kind"] = "Namespace",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = name } },
        ["spec"] = new JsonObject { ["finalizers"] = new JsonArray((JsonNode)"kubernetes") },
        ["status"] = new JsonObject { ["phase"] = "Active" },
    };
}
