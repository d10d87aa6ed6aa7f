using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Parley.Contracts;
using Parley.Contracts.Realtime;

namespace Parley.Client.Relay;

/// <summary>
/// One <c>/v1/stream</c> connection: JSON text frames from the relay (envelopes, then "drained"), acknowledgements
/// back. Frames are size-capped and parsed strictly; anything else ends the connection.
/// </summary>
internal sealed class RelayStream : IAsyncDisposable
{
    /// <summary>Largest frame accepted: a 256 KiB envelope in base64 plus JSON overhead fits well within.</summary>
    public const int MaxFrameBytes = 1024 * 1024;

    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);

    private RelayStream(ClientWebSocket socket) => _socket = socket;

    public static async Task<RelayStream> ConnectAsync(RelayApi api, TimeSpan keepAlive, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            socket.Options.KeepAliveInterval = keepAlive;
            socket.Options.KeepAliveTimeout = keepAlive * 2;
            socket.Options.CollectHttpResponseDetails = true;
            if (api.Authorization is not null)
            {
                socket.Options.SetRequestHeader("Authorization", api.Authorization);
            }

            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connectTimeout.CancelAfter(TimeSpan.FromSeconds(15));
            try
            {
                await socket.ConnectAsync(api.StreamUri, connectTimeout.Token).ConfigureAwait(false);
            }
            catch (WebSocketException e) when (socket.HttpStatusCode == HttpStatusCode.Unauthorized)
            {
                throw new ParleyException(ParleyErrorCode.Unauthorized, "The relay no longer accepts this device's credentials (the account or device was deleted).", e);
            }
            catch (WebSocketException e)
            {
                throw RelayErrors.Unreachable(api.BaseUrl, e);
            }
            catch (HttpRequestException e)
            {
                throw RelayErrors.Unreachable(api.BaseUrl, e);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw RelayErrors.Unreachable(api.BaseUrl, e);
            }

            var stream = new RelayStream(socket);
            socket = null!;
            return stream;
        }
        finally
        {
            socket?.Dispose();
        }
    }

    /// <summary>The next frame, or null when the relay closed the connection.</summary>
    /// <exception cref="WebSocketException">The connection broke.</exception>
    /// <exception cref="InvalidDataException">The relay sent something that is not a valid frame.</exception>
    public async Task<ServerFrame?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == _buffer.Length)
            {
                if (length >= MaxFrameBytes)
                {
                    await CloseQuietlyAsync(WebSocketCloseStatus.MessageTooBig).ConfigureAwait(false);
                    throw new InvalidDataException("The relay sent a frame over the size limit.");
                }

                var larger = ArrayPool<byte>.Shared.Rent(Math.Min(length * 2, MaxFrameBytes));
                _buffer.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            var result = await _socket.ReceiveAsync(_buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await CloseQuietlyAsync(WebSocketCloseStatus.NormalClosure).ConfigureAwait(false);
                return null;
            }

            length += result.Count;
            if (!result.EndOfMessage)
            {
                continue;
            }

            if (result.MessageType != WebSocketMessageType.Text)
            {
                await CloseQuietlyAsync(WebSocketCloseStatus.InvalidMessageType).ConfigureAwait(false);
                throw new InvalidDataException("The relay sent a binary frame.");
            }

            try
            {
                return JsonSerializer.Deserialize(_buffer.AsSpan(0, length), ParleyJsonContext.Default.ServerFrame)
                    ?? throw new InvalidDataException("The relay sent an empty frame.");
            }
            catch (JsonException e)
            {
                await CloseQuietlyAsync(WebSocketCloseStatus.InvalidPayloadData).ConfigureAwait(false);
                throw new InvalidDataException("The relay sent a frame this client does not understand.", e);
            }
        }
    }

    public async Task AcknowledgeAsync(IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes<ClientFrame>(new AckFrame(ids), ParleyJsonContext.Default.ClientFrame);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseQuietlyAsync(WebSocketCloseStatus.NormalClosure).ConfigureAwait(false);
        _socket.Dispose();
        _sendLock.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private async Task CloseQuietlyAsync(WebSocketCloseStatus status)
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _socket.CloseOutputAsync(status, null, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            _socket.Abort();
        }
    }
}
