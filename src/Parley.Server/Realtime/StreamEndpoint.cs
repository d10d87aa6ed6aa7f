using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parley.Contracts;
using Parley.Contracts.Errors;
using Parley.Server.Accounts;
using Parley.Server.Auth;
using Parley.Server.Messages;
using Parley.Server.Operations;

namespace Parley.Server.Realtime;

/// <summary>The authenticated WebSocket <c>/v1/stream</c>.</summary>
internal static class StreamEndpoint
{
    public static void MapStream(this IEndpointRouteBuilder routes) =>
        routes.MapMethods(ApiPaths.Stream, [HttpMethods.Get, HttpMethods.Connect], AcceptAsync);

    private static async Task<IResult> AcceptAsync(
        HttpContext context,
        IMailbox mailbox,
        IAccountStore accounts,
        IDeliveryNotifier notifier,
        RelayLimits limits,
        TimeProvider time,
        OperatorLog log,
        IHostApplicationLifetime lifetime,
        ILogger<StreamSession> logger)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, ErrorCodes.WebSocketRequired, "This route needs a WebSocket upgrade.");
        }

        var device = AuthenticatedDevice.From(context.User);
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        using var session = new StreamSession(socket, device, mailbox, accounts, notifier, limits, time, log, logger);
        await session.RunAsync(lifetime.ApplicationStopping).ConfigureAwait(false);
        return Results.Empty;
    }
}
