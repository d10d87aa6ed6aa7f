using System.Net.WebSockets;
using Parley.Client.Relay;
using Parley.Contracts.Realtime;

namespace Parley.Client.Messaging;

/// <summary>
/// The live receive of <see cref="ParleyClient.ReceiveAsync"/>, pull-based: the next envelope is read and
/// processed only when the consumer asks for the next event, i.e. after it has taken (and the client has
/// marked reported) the previous message. So a crash while processing an envelope never races with the
/// hand-over of an earlier one. Reconnects with exponential backoff and jitter; events from background work
/// (outbox flushes) are interleaved as they come.
/// </summary>
internal sealed class LiveReceiver(ClientContext context, Receiver receiver, EventHub.Subscription side, Action onConnected)
    : IAsyncDisposable
{
    private readonly Queue<ClientEvent> _pending = new();
    private RelayStream? _stream;
    private Task<ServerFrame?>? _frame;
    private Task<bool>? _sideWait;
    private DateTimeOffset? _retryAt;
    private int _failures;

    /// <summary>The next event; throws when the relay refuses us for good.</summary>
    public async Task<ClientEvent> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_pending.TryDequeue(out var queued))
            {
                return queued;
            }

            if (side.Reader.TryRead(out var sideEvent))
            {
                return sideEvent;
            }

            await StepAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DropStreamAsync().ConfigureAwait(false);
    }

    private async Task StepAsync(CancellationToken cancellationToken)
    {
        _sideWait ??= side.Reader.WaitToReadAsync(cancellationToken).AsTask();
        if (_stream is null)
        {
            if (_retryAt is { } at && at > DateTimeOffset.UtcNow)
            {
                await Task.WhenAny(Task.Delay(at - DateTimeOffset.UtcNow, cancellationToken), _sideWait).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                ResetSideWait();
                return;
            }

            await ConnectAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        _frame ??= _stream.ReceiveAsync(cancellationToken);
        await Task.WhenAny(_frame, _sideWait).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_frame.IsCompleted)
        {
            ResetSideWait();
            return;
        }

        var frameTask = _frame;
        _frame = null;
        ServerFrame? frame;
        try
        {
            frame = await frameTask.ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or IOException or InvalidDataException && !cancellationToken.IsCancellationRequested)
        {
            await LostAsync("the connection to the relay was lost").ConfigureAwait(false);
            return;
        }

        switch (frame)
        {
            case null:
                await LostAsync("the relay closed the connection").ConfigureAwait(false);
                break;
            case EnvelopeFrame envelope:
                foreach (var clientEvent in await receiver.ProcessAsync(envelope.Envelope, cancellationToken).ConfigureAwait(false))
                {
                    _pending.Enqueue(clientEvent);
                }

                try
                {
                    await _stream.AcknowledgeAsync([envelope.Envelope.Id], cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is WebSocketException or IOException && !cancellationToken.IsCancellationRequested)
                {
                    // Stored already; the relay redelivers it and the id check drops it.
                    await LostAsync("the connection to the relay was lost").ConfigureAwait(false);
                }

                break;
            case DrainedFrame:
                _pending.Enqueue(new ConnectionChanged(ConnectionState.Synced) { At = context.Now });
                break;
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        _pending.Enqueue(new ConnectionChanged(ConnectionState.Connecting) { At = context.Now });
        try
        {
            _stream = await RelayStream.ConnectAsync(context.RequireRelay(), context.Options.KeepAliveInterval, cancellationToken).ConfigureAwait(false);
        }
        catch (ParleyException e) when (e.IsTransient)
        {
            ScheduleRetry(e.Message);
            return;
        }

        _failures = 0;
        _retryAt = null;
        _pending.Enqueue(new ConnectionChanged(ConnectionState.Connected) { At = context.Now });
        onConnected();
    }

    private async Task LostAsync(string reason)
    {
        await DropStreamAsync().ConfigureAwait(false);
        ScheduleRetry(reason);
    }

    private void ScheduleRetry(string reason)
    {
        var delay = Backoff.Delay(_failures++, context.Options.ReconnectMinDelay, context.Options.ReconnectMaxDelay);
        _retryAt = DateTimeOffset.UtcNow + delay;
        _pending.Enqueue(new ConnectionChanged(ConnectionState.Disconnected, delay, reason) { At = context.Now });
    }

    private async Task DropStreamAsync()
    {
        if (_stream is { } stream)
        {
            _stream = null;
            await stream.DisposeAsync().ConfigureAwait(false);
        }

        if (_frame is { } frame)
        {
            _frame = null;
            try
            {
                await frame.ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or IOException or InvalidDataException or OperationCanceledException or ObjectDisposedException)
            {
                // The connection is gone either way.
            }
        }
    }

    private void ResetSideWait()
    {
        if (_sideWait is { IsCompleted: true })
        {
            _sideWait = null;
        }
    }
}
