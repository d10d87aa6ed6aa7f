using System.Net.WebSockets;
using System.Text.Json;
using Parley.Contracts;
using Parley.Contracts.Messages;
using Parley.Contracts.Realtime;

namespace Parley.Server.Tests.Support;

/// <summary>A device's <c>/v1/stream</c> connection through the framework's ClientWebSocket.</summary>
internal sealed class StreamClient : IAsyncDisposable
{
    private readonly ClientWebSocket socket;

    private StreamClient(ClientWebSocket socket) => this.socket = socket;

    public WebSocket Socket => socket;

    public static async Task<StreamClient> ConnectAsync(Uri baseAddress, string authorization)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", authorization);
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(5);
        var uri = new UriBuilder(baseAddress) { Scheme = baseAddress.Scheme == "https" ? "wss" : "ws", Path = ApiPaths.Stream }.Uri;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(uri, timeout.Token);
        return new StreamClient(socket);
    }

    /// <summary>The next frame; null when the relay closed the stream.</summary>
    public async Task<ServerFrame?> ReceiveAsync(TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(30));
        using var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonSerializer.Deserialize(message.ToArray(), ParleyJsonContext.Default.ServerFrame);
            }
        }
    }

    /// <summary>Envelopes up to the next <see cref="DrainedFrame"/>.</summary>
    public async Task<List<Envelope>> ReceiveUntilDrainedAsync()
    {
        var envelopes = new List<Envelope>();
        while (await ReceiveAsync() is { } frame)
        {
            switch (frame)
            {
                case EnvelopeFrame e:
                    envelopes.Add(e.Envelope);
                    break;
                case DrainedFrame:
                    return envelopes;
            }
        }

        throw new InvalidOperationException("The stream closed before it was drained.");
    }

    public async Task<Envelope> ReceiveEnvelopeAsync(TimeSpan? within = null)
    {
        var frame = await ReceiveAsync(within);
        return Assert.IsType<EnvelopeFrame>(frame).Envelope;
    }

    public Task AcknowledgeAsync(params Guid[] ids) =>
        socket.SendAsync(
            JsonSerializer.SerializeToUtf8Bytes<ClientFrame>(new AckFrame(ids), ParleyJsonContext.Default.ClientFrame),
            WebSocketMessageType.Text,
            endOfMessage: true,
            CancellationToken.None);

    /// <summary>Full close handshake: returns once the relay answered our close frame.</summary>
    public async Task CloseAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The relay already went away.
            }
        }

        socket.Dispose();
    }
}
