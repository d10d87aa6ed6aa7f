using System.Net.WebSockets;
using Parley.Client.Relay;
using Parley.Contracts.Realtime;

namespace Parley.Client.Messaging;

/// <summary>
/// One-shot drains for <see cref="ParleyClient.FetchPendingAsync"/>: over HTTP, or waiting on the stream for a
/// message. Every envelope is acknowledged only after its transaction committed.
/// </summary>
internal sealed class MailboxDrain(ClientContext context, Receiver receiver)
{
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
}
