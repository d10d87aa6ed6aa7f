using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Parley.Contracts;
using Parley.Contracts.Realtime;
using Parley.Server.Accounts;
using Parley.Server.Auth;
using Parley.Server.Messages;
using Parley.Server.Operations;

namespace Parley.Server.Realtime;

/// <summary>
/// One device's <c>/v1/stream</c> connection. The send side drains the mailbox in order, says
/// <see cref="DrainedFrame"/> once, then sleeps until a wake-up (or a periodic re-check, so delivery never
/// depends on a wake-up alone) and reads on from its cursor. The receive side takes acknowledgements.
/// Envelopes sent but not acknowledged stay in the mailbox and are sent again on the next connection.
/// </summary>
internal sealed class StreamSession(
    WebSocket socket,
    AuthenticatedDevice device,
    IMailbox mailbox,
    IAccountStore accounts,
    IDeliveryNotifier notifier,
    RelayLimits limits,
    TimeProvider time,
    OperatorLog log,
    ILogger logger) : IDisposable
{
    private const int InitialReceiveBuffer = 4096;
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ProtocolFaultLinger = TimeSpan.FromMilliseconds(250);

    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly WakeSignal wakeUp = new();
    private int uselessAcknowledgements;

    private int closing;

    public async Task RunAsync(CancellationToken stopping)
    {
        using var subscription = notifier.Subscribe(device.Address, wakeUp.Set);
        using var sendStop = CancellationTokenSource.CreateLinkedTokenSource(stopping);

        // The receive side is never cancelled by a token (that would abort the socket mid-handshake): it ends
        // when the peer closes, breaks the protocol, misses its keep-alive, or after our close is answered.
        var receiving = ReceiveLoopAsync();
        var sending = SendLoopAsync(sendStop.Token);
        var first = await Task.WhenAny(receiving, sending).ConfigureAwait(false);
        if (first == receiving)
        {
            await sendStop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(Quietly(receiving), Quietly(sending)).ConfigureAwait(false);
            if (receiving.IsFaulted)
            {
                // The WebSocket found a protocol fault itself: it sent its close code and aborted. Keep the
                // connection a moment, so that bytes the peer still had in flight are read rather than answered
                // with a reset, which would make the peer lose our close frame unread.
                await Task.Delay(ProtocolFaultLinger, CancellationToken.None).ConfigureAwait(false);
            }

            return;
        }

        if (stopping.IsCancellationRequested)
        {
            await CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "relay shutting down").ConfigureAwait(false);
        }
        else if (Volatile.Read(ref closing) == 0)
        {
            // The send side failed (the peer stopped reading, or the store failed): give up on the connection.
            await CloseAsync(WebSocketCloseStatus.InternalServerError, "stream failed").ConfigureAwait(false);
        }

        // Give the peer a moment to answer our close frame, so it reads the close code rather than a reset.
        if (await Task.WhenAny(receiving, Task.Delay(CloseHandshakeTimeout, CancellationToken.None)).ConfigureAwait(false) != receiving)
        {
            socket.Abort();
        }

        await Task.WhenAll(Quietly(receiving), Quietly(sending)).ConfigureAwait(false);
    }

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        long cursor = 0;
        var drained = false;
        while (!cancellationToken.IsCancellationRequested && socket.State == WebSocketState.Open)
        {
            var entries = await mailbox.ReadAsync(
                device.Address, cursor, limits.FetchBatchSize, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
            foreach (var entry in entries)
            {
                await SendAsync(new EnvelopeFrame(entry.Envelope), cancellationToken).ConfigureAwait(false);
                cursor = entry.Position;
                log.Delivered(entry.Envelope, device.Display, "stream");
            }

            if (entries.Count == limits.FetchBatchSize)
            {
                continue;
            }

            if (!drained)
            {
                await SendAsync(new DrainedFrame(), cancellationToken).ConfigureAwait(false);
                drained = true;
            }

            try
            {
                // A wake-up or the periodic re-check, whichever comes first: one timer per wait and no linked
                // token sources, since 10,000 idle streams each sit here.
                await wakeUp.WaitAsync().WaitAsync(limits.StreamRecheckInterval, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The periodic re-check: read the mailbox even without a wake-up.
            }

            var login = await accounts.FindDeviceAsync(device.Username, device.DeviceId, cancellationToken).ConfigureAwait(false);
            if (login is null || login.AccountId != device.AccountId)
            {
                await CloseAsync(WebSocketCloseStatus.PolicyViolation, "device deleted").ConfigureAwait(false);
                return;
            }
        }
    }

    private async Task ReceiveLoopAsync()
    {
        while (true)
        {
            // An idle stream holds no receive buffer: wait for the next frame with a zero-byte read and rent a buffer
            // only once bytes arrive (a buffer per connection was about a sixth of an idle stream's memory).
            var peek = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).ConfigureAwait(false);
            if (peek.MessageType == WebSocketMessageType.Close)
            {
                await CloseAsync(WebSocketCloseStatus.NormalClosure, "bye").ConfigureAwait(false);
                return;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBuffer);
            try
            {
                var length = 0;
                var result = peek;
                while (!result.EndOfMessage)
                {
                    if (length == Math.Min(buffer.Length, limits.MaxStreamFrameBytes + 1))
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(checked(buffer.Length * 2), limits.MaxStreamFrameBytes + 1));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    // The window never reaches past cap + 1 bytes: the socket fills the whole window before it
                    // returns, so a larger window would wait for bytes that a lying peer never sends.
                    var window = Math.Min(buffer.Length, limits.MaxStreamFrameBytes + 1) - length;
                    result = await socket.ReceiveAsync(buffer.AsMemory(length, window), CancellationToken.None).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await CloseAsync(WebSocketCloseStatus.NormalClosure, "bye").ConfigureAwait(false);
                        return;
                    }

                    length += result.Count;
                    if (length > limits.MaxStreamFrameBytes)
                    {
                        await CloseAsync(WebSocketCloseStatus.MessageTooBig, "frame too large").ConfigureAwait(false);
                        await DiscardUntilClosedAsync(buffer).ConfigureAwait(false);
                        return;
                    }
                }

                if (result.MessageType != WebSocketMessageType.Text)
                {
                    await CloseAsync(WebSocketCloseStatus.InvalidMessageType, "text frames only").ConfigureAwait(false);
                    await DiscardUntilClosedAsync(buffer).ConfigureAwait(false);
                    return;
                }

                if (!await HandleAsync(buffer.AsMemory(0, length)).ConfigureAwait(false))
                {
                    await DiscardUntilClosedAsync(buffer).ConfigureAwait(false);
                    return;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>
    /// After closing for a bad frame: read and drop whatever the peer still sends, for a short while, so the
    /// connection ends with a FIN after our close frame rather than a reset that could swallow the close code.
    /// Reuses the buffer, so a peer that keeps streaming costs time, never memory.
    /// </summary>
    private async Task DiscardUntilClosedAsync(byte[] buffer)
    {
        using var grace = new CancellationTokenSource(CloseHandshakeTimeout);
        try
        {
            while (socket.State == WebSocketState.CloseSent)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), grace.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
            // Grace over, or the peer broke off: either way the connection ends now.
        }
    }

    /// <summary>Handles one client frame; false when the connection was closed for it.</summary>
    private async Task<bool> HandleAsync(ReadOnlyMemory<byte> message)
    {
        ClientFrame? frame;
        try
        {
            frame = JsonSerializer.Deserialize(message.Span, ParleyJsonContext.Default.ClientFrame);
        }
        catch (JsonException)
        {
            frame = null;
        }

        switch (frame)
        {
            case AckFrame ack when ack.Ids.Count <= limits.MaxAcknowledgeIds:
                var removed = await mailbox.AcknowledgeAsync(device.Address, ack.Ids, CancellationToken.None).ConfigureAwait(false);
                uselessAcknowledgements = removed > 0 ? 0 : uselessAcknowledgements + 1;
                if (uselessAcknowledgements >= limits.MaxUselessAcknowledgements)
                {
                    // A flood of acknowledgements for nothing would keep the writer busy for everyone.
                    await CloseAsync(WebSocketCloseStatus.PolicyViolation, "too many acknowledgements of nothing").ConfigureAwait(false);
                    return false;
                }

                return true;
            case AckFrame:
                await CloseAsync(WebSocketCloseStatus.PolicyViolation, "too many ids").ConfigureAwait(false);
                return false;
            default:
                await CloseAsync(WebSocketCloseStatus.InvalidPayloadData, "invalid frame").ConfigureAwait(false);
                return false;
        }
    }

    private async Task SendAsync(ServerFrame frame, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(frame, ParleyJsonContext.Default.ServerFrame);
        await sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            sendLock.Release();
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref closing, 1) != 0)
        {
            return;
        }

        RelayLog.StreamClosed(logger, device.Display, reason);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(status, reason, timeout.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                sendLock.Release();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The peer is gone or too slow to take a close frame; returning from the handler drops the connection.
        }
    }

    public void Dispose() => sendLock.Dispose();

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
            // Connection-level endings: the peer left, broke the protocol (the socket already sent its close
            // code), missed its keep-alive, or the relay is stopping.
        }
    }
}
