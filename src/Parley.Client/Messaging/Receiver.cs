using Parley.Client.Content;
using Parley.Client.Diagnostics;
using Parley.Client.Storage;
using Parley.Contracts.Messages;
using Parley.Protocol;
using Parley.Protocol.Messages;

namespace Parley.Client.Messaging;

/// <summary>
/// The receive path for one envelope: skip it if its id was seen; otherwise decrypt, and in the same
/// transaction store the new session state, the envelope id and the message (plus an "unreported" marker);
/// commit; only then may the caller acknowledge it. A failed decryption changes nothing but the envelope id,
/// so the envelope is acknowledged and not retried forever.
/// </summary>
internal sealed class Receiver(ClientContext context)
{
    /// <summary>Asks a sender for a fresh session after its envelope could not be decrypted (peer name, its timestamp).</summary>
    public Func<string, long, CancellationToken, Task>? ResetRequested { get; init; }

    /// <summary>Called after a peer's session reset put one of our messages back in the outbox.</summary>
    public Action? ResendQueued { get; init; }

    /// <summary>Decrypts and stores one relay envelope; the events to report. Acknowledge it afterwards.</summary>
    public Task<List<ClientEvent>> ProcessAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (Usernames.Normalize(envelope.SourceUsername) is not { } name || !string.Equals(name, envelope.SourceUsername, StringComparison.Ordinal)
            || envelope.SourceDeviceId is < ProtocolAddress.MinDeviceId or > ProtocolAddress.MaxDeviceId)
        {
            return RecordFailureAsync(envelope.SourceUsername, envelope.SourceDeviceId, envelope.Id, "the envelope names an invalid sender", cancellationToken);
        }

        return DecryptAndStoreAsync(new ProtocolAddress(name, envelope.SourceDeviceId), (int)envelope.Type, envelope.Content, envelope.Id, envelope.Timestamp, cancellationToken);
    }

    /// <summary>Decrypts and stores a message received directly from a peer (no envelope id; dedup by message id).</summary>
    public Task<List<ClientEvent>> ProcessPeerAsync(string name, int type, byte[] body, CancellationToken cancellationToken) =>
        DecryptAndStoreAsync(new ProtocolAddress(name, 1), type, body, null, 0, cancellationToken);

    /// <summary>Incoming messages stored but never handed to the application (a crash came in between), oldest first.</summary>
    public Task<List<IncomingMessage>> UnreportedAsync(CancellationToken cancellationToken) =>
        context.Database.ReadAsync(tx =>
        {
            var messages = new List<IncomingMessage>();
            foreach (var marker in tx.Query(StoreSchema.Unreported, "1 = 1 ORDER BY seq"))
            {
                var row = tx.Query(StoreSchema.Messages, "seq = $seq", ("$seq", marker.Values[0])).FirstOrDefault();
                if (row.Values is not null)
                {
                    messages.Add(Incoming(row, StoreTransactionJson.Parse(row.Plaintext, StoreJson.Default.MessageEntry)));
                }
            }

            return ValueTask.FromResult(messages);
        }, cancellationToken);

    /// <summary>Marks messages as handed to the application, so they are not reported again.</summary>
    public Task MarkReportedAsync(IEnumerable<IncomingMessage> messages, CancellationToken cancellationToken)
    {
        var ids = messages.Select(m => (m.From, m.Id)).ToList();
        if (ids.Count == 0)
        {
            return Task.CompletedTask;
        }

        return context.Database.WriteAsync(tx =>
        {
            foreach (var (from, id) in ids)
            {
                var row = tx.Query(
                    StoreSchema.Messages, "peer = $peer AND direction = $direction AND message_id = $id",
                    ("$peer", from), ("$direction", (long)MessageDirection.Incoming), ("$id", id.ToByteArray())).FirstOrDefault();
                if (row.Values is not null)
                {
                    tx.Delete(StoreSchema.Unreported, row.Values[0]);
                }
            }

            return ValueTask.FromResult(true);
        }, cancellationToken);
    }

    private async Task<List<ClientEvent>> DecryptAndStoreAsync(
        ProtocolAddress sender, int type, byte[] body, Guid? envelopeId, long senderTimestamp, CancellationToken cancellationToken)
    {
        var resetWanted = false;
        var resendQueued = false;
        var outcome = await context.ProtocolAsync(async store =>
        {
            var tx = store.Transaction;
            var events = new List<ClientEvent>();
            if (envelopeId is { } seen && tx.Get(StoreSchema.Received, seen.ToByteArray()) is not null)
            {
                // Delivered before (an acknowledgement was lost): drop it without decrypting.
                return (events, (string?)null);
            }

            byte[]? plaintext = null;
            string? reason = null;
            try
            {
                plaintext = await DecryptAsync(store, sender, type, body, cancellationToken).ConfigureAwait(false);
            }
            catch (UntrustedIdentityException) when (type == (int)CiphertextMessageType.PreKey)
            {
                // A new identity key in a PreKey message. Receiving always accepts it (the message is shown); a
                // verified contact becomes "changed", which blocks sending until the user verifies again.
                try
                {
                    var message = PreKeySignalMessage.Deserialize(body);
                    await store.SaveIdentityAsync(sender, message.IdentityKey, cancellationToken).ConfigureAwait(false);
                    plaintext = await DecryptAsync(store, sender, type, body, cancellationToken).ConfigureAwait(false);
                }
                catch (ProtocolException e)
                {
                    reason = Describe(e);
                    resetWanted = WantsReset(e, type);
                }
            }
            catch (DuplicateMessageException)
            {
                // Already decrypted (same ciphertext under another envelope id): nothing to show.
            }
            catch (ProtocolException e)
            {
                reason = Describe(e);
                resetWanted = WantsReset(e, type);
            }

            if (reason is not null)
            {
                // Nothing of a failed decryption is kept (the identity save above included).
                tx.RequestRollback();
                return (events, reason);
            }

            if (plaintext is not null)
            {
                events.AddRange(store.IdentityNotes.Select(n => context.IdentityEvent(tx, n)));
                if (!ContentCodec.TryDecode(plaintext, out var content, out var contentError))
                {
                    // The ratchet moved on (that is committed), but there is no text to show.
                    events.Add(new UndecryptableMessage(sender.Name, sender.DeviceId, envelopeId, contentError) { At = context.Now });
                }
                else if (content!.Kind == ContentKind.SessionReset)
                {
                    resendQueued = QueueResend(tx, sender.Name, content.FailedTimestampMs);
                }
                else if (StoreIncoming(tx, sender, content, envelopeId) is { } incoming)
                {
                    events.Add(incoming);
                }
            }

            if (envelopeId is { } id)
            {
                tx.PutJson(StoreSchema.Received, [id.ToByteArray()], new ReceivedEntry(context.Now.ToUnixTimeMilliseconds()), StoreJson.Default.ReceivedEntry);
            }

            CrashPoints.Reached(CrashPoints.AfterDecryptBeforeCommit);
            return (events, (string?)null);
        }, cancellationToken).ConfigureAwait(false);

        if (outcome.Item2 is { } why)
        {
            var reported = await RecordFailureAsync(sender.Name, sender.DeviceId, envelopeId, why, cancellationToken).ConfigureAwait(false);
            if (resetWanted && reported.Count > 0 && envelopeId is not null && ResetRequested is { } requestReset)
            {
                await requestReset(sender.Name, senderTimestamp, cancellationToken).ConfigureAwait(false);
            }

            return reported;
        }

        CrashPoints.Reached(CrashPoints.AfterCommitBeforeAck);
        if (resendQueued)
        {
            ResendQueued?.Invoke();
        }

        return outcome.events;
    }

    /// <summary>Failures that mean the sender's session does not match ours (we reset, or it was built on keys we lost).</summary>
    private static bool WantsReset(ProtocolException e, int type) =>
        e is NoSessionException or InvalidPreKeyIdException
        || (e is InvalidMessageException && e is not ReusedBaseKeyException && type == (int)CiphertextMessageType.Whisper);

    /// <summary>
    /// The peer could not decrypt our message sent at <paramref name="failedTimestampMs"/> and sent a fresh session:
    /// put that message back in the outbox (same message id, so it is shown once; a new submission id for the relay).
    /// </summary>
    private static bool QueueResend(StoreTransaction tx, string peer, long failedTimestampMs)
    {
        foreach (var row in tx.Query(StoreSchema.Messages, "peer = $peer AND direction = $direction ORDER BY seq DESC LIMIT 1000",
            ("$peer", peer), ("$direction", (long)MessageDirection.Outgoing)))
        {
            var entry = StoreTransactionJson.Parse(row.Plaintext, StoreJson.Default.MessageEntry);
            if (entry.SentAtMs != failedTimestampMs || entry.Delivery != DeliveryState.Sent)
            {
                continue;
            }

            var id = new Guid((byte[])row.Values[3]);
            if (tx.Scalar("SELECT COUNT(*) FROM outbox WHERE message_id = $id", ("$id", id.ToByteArray())) > 0)
            {
                return false;
            }

            var content = ContentCodec.Encode(new MessageContent(id, entry.SentAtMs, entry.Text));
            var seq = tx.Scalar("SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox");
            tx.PutJson(StoreSchema.Outbox, [seq, peer, id.ToByteArray()], new OutboxEntry(content, entry.SentAtMs, null, 0, Guid.NewGuid()), StoreJson.Default.OutboxEntry);
            tx.PutJson(StoreSchema.Messages, row.Values, entry with { Delivery = DeliveryState.Queued, Devices = null }, StoreJson.Default.MessageEntry);
            return true;
        }

        return false;
    }

    private async Task<List<ClientEvent>> RecordFailureAsync(string from, int device, Guid? envelopeId, string reason, CancellationToken cancellationToken)
    {
        if (envelopeId is { } id)
        {
            var fresh = await context.Database.WriteAsync(tx =>
            {
                if (tx.Get(StoreSchema.Received, id.ToByteArray()) is not null)
                {
                    return ValueTask.FromResult(false);
                }

                tx.PutJson(StoreSchema.Received, [id.ToByteArray()], new ReceivedEntry(context.Now.ToUnixTimeMilliseconds()), StoreJson.Default.ReceivedEntry);
                return ValueTask.FromResult(true);
            }, cancellationToken).ConfigureAwait(false);
            if (!fresh)
            {
                return [];
            }
        }

        return [new UndecryptableMessage(from, device, envelopeId, reason) { At = context.Now }];
    }

    private IncomingMessage? StoreIncoming(StoreTransaction tx, ProtocolAddress sender, MessageContent content, Guid? envelopeId)
    {
        var idBytes = content.MessageId.ToByteArray();
        var duplicate = tx.Scalar(
            "SELECT COUNT(*) FROM messages WHERE peer = $peer AND direction = $direction AND message_id = $id",
            ("$peer", sender.Name), ("$direction", (long)MessageDirection.Incoming), ("$id", idBytes));
        if (duplicate > 0)
        {
            // The same message under a new envelope (the sender's relay lost its idempotency record): shown once.
            return null;
        }

        var now = context.Now.ToUnixTimeMilliseconds();
        var seq = tx.Scalar("SELECT COALESCE(MAX(seq), 0) + 1 FROM messages");
        var entry = new MessageEntry(content.Text, content.SentAtMs, now, sender.DeviceId, null, null) { EnvelopeId = envelopeId };
        var values = new object[] { seq, sender.Name, (long)MessageDirection.Incoming, idBytes };
        tx.PutJson(StoreSchema.Messages, values, entry, StoreJson.Default.MessageEntry);
        tx.Put(StoreSchema.Unreported, [seq], []);
        return Incoming(new StoredRow(values, []), entry);
    }

    private IncomingMessage Incoming(StoredRow row, MessageEntry entry) =>
        new(
            new Guid((byte[])row.Values[3]),
            (string)row.Values[1],
            entry.FromDevice ?? 1,
            entry.Text,
            DateTimeOffset.FromUnixTimeMilliseconds(entry.SentAtMs),
            DateTimeOffset.FromUnixTimeMilliseconds(entry.ReceivedAtMs ?? 0),
            entry.EnvelopeId)
        { At = context.Now };

    private async Task<byte[]> DecryptAsync(SqliteProtocolStore store, ProtocolAddress sender, int type, byte[] body, CancellationToken cancellationToken)
    {
        switch (type)
        {
            case (int)CiphertextMessageType.Whisper:
                return await SessionCipher.DecryptSignalMessageAsync(
                    SignalMessage.Deserialize(body), sender, context.LocalAddress, store, store, context.Protocol, cancellationToken).ConfigureAwait(false);
            case (int)CiphertextMessageType.PreKey:
                return await SessionCipher.DecryptPreKeyMessageAsync(
                    PreKeySignalMessage.Deserialize(body), sender, context.LocalAddress, store, store, store, store, store, context.Protocol, cancellationToken).ConfigureAwait(false);
            default:
                throw new InvalidMessageException($"message type {type} is not supported by this client");
        }
    }

    private static string Describe(ProtocolException e) => e switch
    {
        NoSessionException => "no session with the sender (it may have been reset)",
        InvalidPreKeyIdException => "the message uses a prekey this device no longer has",
        UntrustedIdentityException => "the sender's identity key is not trusted for this session",
        ReusedBaseKeyException => "a replayed session start was refused",
        UnsupportedMessageVersionException => "unsupported message version",
        _ => "the message could not be decrypted (forged, corrupt or misdirected)",
    };
}
