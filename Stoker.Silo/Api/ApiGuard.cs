using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Stoker.Silo.Api;

/// <summary>A silo that does not answer is a 503 with a Status, as the API server answers when etcd is gone.</summary>
public static class ApiGuard
{
    public static async Task<IResult> RunAsync(ILogger logger, HttpRequest request, Func<Task<IResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(handler);
        try
        {
            return await handler();
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            ApplyApiLog.Unavailable(logger, request.Method, request.Path, e);
            return ApiResponse.From(ApiStatuses.Unavailable($"the control plane did not answer ({e.GetType().Name}); try again"));
        }
    }
}
