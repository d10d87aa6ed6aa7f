using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Parley.Contracts;
using Parley.Contracts.Errors;

namespace Parley.Server.Operations;

/// <summary><c>GET /v1/health</c>: 200 once the store is migrated and the relay listens; 503 while stopping.</summary>
internal static class HealthEndpoints
{
    public static void MapHealth(this IEndpointRouteBuilder routes) =>
        routes.MapGet(ApiPaths.Health, (IHostApplicationLifetime lifetime) =>
            lifetime.ApplicationStopping.IsCancellationRequested
                ? (IResult)Problems.Create(StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable, "The relay is stopping.")
                : TypedResults.Ok(new HealthResponse("ready", "v1")))
        .AllowAnonymous()
        .DisableRateLimiting();
}
