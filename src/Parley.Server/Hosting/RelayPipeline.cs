using Microsoft.AspNetCore.Builder;
using Parley.Server.Accounts;
using Parley.Server.Keys;
using Parley.Server.Messages;
using Parley.Server.Operations;
using Parley.Server.Realtime;

namespace Parley.Server.Hosting;

/// <summary>Middleware order and routes.</summary>
internal static class RelayPipeline
{
    public static WebApplication UseRelay(this WebApplication app, RelayLimits limits)
    {
        app.UseMiddleware<ProblemBoundary>();
        app.UseStatusCodePages(status => ProblemResult.WriteAsync(status.HttpContext, Problems.ForStatus(status.HttpContext.Response.StatusCode)));
        app.UseWebSockets(new WebSocketOptions
        {
            KeepAliveInterval = limits.StreamKeepAliveInterval,
            KeepAliveTimeout = limits.StreamKeepAliveTimeout,
        });
        app.UseRouting();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();

        app.MapHealth();
        app.MapAccounts();
        app.MapKeys();
        app.MapMessages();
        app.MapStream();
        return app;
    }
}
