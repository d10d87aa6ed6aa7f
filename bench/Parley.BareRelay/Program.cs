// A bare relay: the smallest Kestrel WebSocket forwarder, to measure what the transport alone costs on this
// machine. No authentication, no storage, no JSON.
//
//   GET /ws/{name}   WebSocket; the connection is known as {name} until it closes.
//   frame            one binary message: [name length: 1 byte][recipient name: ASCII][payload]
//                    sent over the sender's own WebSocket, or as the body of PUT /send (answered 200 once the
//                    frame is written to the recipient's socket, 404 when the recipient is not connected).
//
// The relay forwards the whole frame unchanged to the named connection. Usage: parley-bare-relay [--urls URL]
using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Parley.BareRelay;

const int MaxFrameBytes = 16 * 1024;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://127.0.0.1:18200");
var app = builder.Build();

// The same keep-alive as `parley server`, so that both pay for the same per-connection ping timer.
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30), KeepAliveTimeout = TimeSpan.FromSeconds(30) });
var peers = new ConcurrentDictionary<string, Peer>(StringComparer.Ordinal);

app.MapGet("/ws/{name}", async (string name, HttpContext context) =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        return Results.BadRequest();
    }

    using var peer = new Peer(await context.WebSockets.AcceptWebSocketAsync());
    peers[name] = peer;
    try
    {
        while (true)
        {
            // Idle connections hold no buffer: wait with a zero-byte read, rent only once a frame arrives.
            var peek = await peer.Socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
            if (peek.MessageType == WebSocketMessageType.Close)
            {
                await peer.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                break;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(MaxFrameBytes);
            try
            {
                var length = 0;
                for (var result = peek; !result.EndOfMessage; length += result.Count)
                {
                    if (length == MaxFrameBytes)
                    {
                        await peer.Socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "frame too large", CancellationToken.None);
                        return Results.Empty;
                    }

                    result = await peer.Socket.ReceiveAsync(buffer.AsMemory(length, MaxFrameBytes - length), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return Results.Empty;
                    }
                }

                await ForwardAsync(buffer.AsMemory(0, length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
    catch (Exception e) when (e is WebSocketException or IOException)
    {
        // The peer went away.
    }
    finally
    {
        peers.TryRemove(new KeyValuePair<string, Peer>(name, peer));
    }

    return Results.Empty;
});

app.MapPut("/send", async (HttpContext context) =>
{
    var buffer = ArrayPool<byte>.Shared.Rent(MaxFrameBytes);
    try
    {
        var length = 0;
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer.AsMemory(length, MaxFrameBytes - length))) > 0)
        {
            length += read;
        }

        return await ForwardAsync(buffer.AsMemory(0, length)) ? Results.Ok() : Results.NotFound();
    }
    finally
    {
        ArrayPool<byte>.Shared.Return(buffer);
    }
});

app.Run();

// Sends the frame to the recipient it names; false when it names nobody connected.
async Task<bool> ForwardAsync(ReadOnlyMemory<byte> frame)
{
    if (frame.Length == 0 || frame.Length < 1 + frame.Span[0]
        || !peers.TryGetValue(Encoding.ASCII.GetString(frame.Span.Slice(1, frame.Span[0])), out var recipient))
    {
        return false;
    }

    try
    {
        await recipient.SendAsync(frame);
        return true;
    }
    catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
    {
        return false;
    }
}
