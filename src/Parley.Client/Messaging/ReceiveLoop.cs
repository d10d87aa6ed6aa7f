using System.Net.WebSockets;
using System.Threading.Channels;
using Parley.Client.Relay;
using Parley.Contracts.Realtime;

namespace Parley.Client.Messaging;

/// <summary>
/// Moves envelopes from the relay through the <see cref="Receiver"/>: a reconnecting WebSocket loop for
/// <see cref="ParleyClient.ReceiveAsync"/>, and one-shot HTTP or WebSocket drains for
/// <see cref="ParleyClient.FetchPendingAsync"/>. Every envelope is acknowledged only after its transaction
/// committed.
/// </summary>
internal sealed class ReceiveLoop(ClientContext context, Receiver receiver, Func<CancellationToken, Task>? onConnected)
{
    /// <summary>Runs until cancelled; completes the writer with the error when the relay refuses us for good.</summary>
    public async Task RunAsync(ChannelWriter<ClientEvent> writer, CancellationToken cancellationToken)
    {
        var relay = context.RequireRelay();
        Exception? fatal = null;
        try
        {
            foreach (var message in await receiver.UnreportedAsync(cancellationToken).ConfigureAwait(false))
            {
                await writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            }

            var failures = 0;
            while (!cancellationToken.IsCancellationRequested)
            {
                await writer.WriteAsync(new ConnectionChanged(ConnectionState.Connecting) { At = context.Now }, cancellationToken).ConfigureAwait(false);
                string reason;
                try
                {
                    var stream = await RelayStream.ConnectAsync(relay, context.Options.KeepAliveInterval, cancellationToken).ConfigureAwait(false);
                    await using (stream.ConfigureAwait(false))
                    {
                        failures = 0;
                        await writer.WriteAsync(new ConnectionChanged(ConnectionState.Connected) { At = context.Now }, cancellationToken).ConfigureAwait(false);
                        if (onConnected is not null)
                        {
                            _ = Task.Run(() => onConnected(cancellationToken), CancellationToken.None);
                        }

                        await PumpAsync(stream, writer, cancellationToken).ConfigureAwait(false);
                        reason = "the relay closed the connection";
                    }
                }
                catch (ParleyException e) when (e.IsTransient)
                {
                    reason = e.Message;
                }
                catch (Exception e) when (e is WebSocketException or IOException or InvalidDataException && !cancellationToken.IsCancellationRequested)
                {
                    reason = "the connection to the relay was lost";
                }

                var delay = Backoff.Delay(failures++, context.Options.ReconnectMinDelay, context.Options.ReconnectMaxDelay);
                await writer.WriteAsync(new ConnectionChanged(ConnectionState.Disconnected, delay, reason) { At = context.Now }, cancellationToken).ConfigureAwait(false);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the consumer.
        }
        catch (Exception e)
        {
            fatal = e;
        }
        finally
        {
            writer.TryComplete(fatal);
        }
    }

    /// <summary>Drains the mailbox over HTTP (fetch, process, acknowledge) into <paramref name="events"/>.</summary>
    public async Task DrainOverHttpAsync(RelayApi relay, List<ClientEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var batch = await relay.FetchAsync(cancellationToken).ConfigureAwait(false);
                foreach (var envelope in batch.Envelopes)
                {
                    events.AddRange(await receiver.ProcessAsync(envelope, cancellationToken).ConfigureAwait(false));
                }

                if (batch.Envelopes.Count > 0)
                {
                    await relay.AcknowledgeAsync([.. batch.Envelopes.Select(e => e.Id)], cancellationToken).ConfigureAwait(false);
                }

                if (!batch.More || batch.Envelopes.Count == 0)
                {
                    return;
                }
            }
        }
        catch (RelayProblemException e)
        {
            throw RelayErrors.ToParley(e);
        }
    }

    /// <summary>
    /// Waits on the stream up to <paramref name="wait"/> for a message: returns once one was processed and the
    /// relay said the mailbox is drained, or when the time is up.
    /// </summary>
    public async Task WaitForMessagesAsync(TimeSpan wait, List<ClientEvent> events, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(wait);
        try
        {
            var stream = await RelayStream.ConnectAsync(context.RequireRelay(), context.Options.KeepAliveInterval, deadline.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var drained = false;
                while (true)
                {
                    var frame = await stream.ReceiveAsync(deadline.Token).ConfigureAwait(false);
                    switch (frame)
                    {
                        case null:
                            return;
                        case EnvelopeFrame envelope:
                            events.AddRange(await receiver.ProcessAsync(envelope.Envelope, cancellationToken).ConfigureAwait(false));
                            await stream.AcknowledgeAsync([envelope.Envelope.Id], cancellationToken).ConfigureAwait(false);
                            break;
                        case DrainedFrame:
                            drained = true;
                            break;
                    }

                    if (drained && events.OfType<IncomingMessage>().Any())
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The wait is over.
        }
        catch (Exception e) when (e is WebSocketException or IOException or InvalidDataException)
        {
            throw RelayErrors.Unreachable(context.RequireRelay().BaseUrl, e);
        }
    }

    private async Task PumpAsync(RelayStream stream, ChannelWriter<ClientEvent> writer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var frame = await stream.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            switch (frame)
            {
                case null:
                    return;
                case EnvelopeFrame envelope:
                    foreach (var clientEvent in await receiver.ProcessAsync(envelope.Envelope, cancellationToken).ConfigureAwait(false))
                    {
                        await writer.WriteAsync(clientEvent, cancellationToken).ConfigureAwait(false);
                    }

                    await stream.AcknowledgeAsync([envelope.Envelope.Id], cancellationToken).ConfigureAwait(false);
                    break;
                case DrainedFrame:
                    await writer.WriteAsync(new ConnectionChanged(ConnectionState.Synced) { At = context.Now }, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }
}
