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
    /// <summary>Decrypts and stores one relay envelope; the events to report. Acknowledge it afterwards.</summary>
    public Task<List<ClientEvent>> ProcessAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (Usernames.Normalize(envelope.SourceUsername) is not { } name || !string.Equals(name, envelope.SourceUsername, StringComparison.Ordinal)
            || envelope.SourceDeviceId is < ProtocolAddress.MinDeviceId or > ProtocolAddress.MaxDeviceId)
        {
            return RecordFailureAsync(envelope.SourceUsername, envelope.SourceDeviceId, envelope.Id, "the envelope names an invalid sender", cancellationToken);
        }

        return DecryptAndStoreAsync(new ProtocolAddress(name, envelope.SourceDeviceId), (int)envelope.Type, envelope.Content, envelope.Id, cancellationToken);
    }

    /// <summary>Decrypts and stores a message received directly from a peer (no envelope id; dedup by message id).</summary>
    public Task<List<ClientEvent>> ProcessPeerAsync(string name, int type, byte[] body, CancellationToken cancellationToken) =>
        DecryptAndStoreAsync(new ProtocolAddress(name, 1), type, body, null, cancellationToken);

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

    private async Task<List<ClientEvent>> DecryptAndStoreAsync(ProtocolAddress sender, int type, byte[] body, Guid? envelopeId, CancellationToken cancellationToken)
    {
        var failure = await context.ProtocolAsync(async store =>
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
                }
            }
            catch (DuplicateMessageException)
            {
                // Already decrypted (same ciphertext under another envelope id): nothing to show.
            }
            catch (ProtocolException e)
            {
                reason = Describe(e);
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
                else if (StoreIncoming(tx, sender, content!, envelopeId) is { } incoming)
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

        if (failure.Item2 is { } why)
        {
            return await RecordFailureAsync(sender.Name, sender.DeviceId, envelopeId, why, cancellationToken).ConfigureAwait(false);
        }

        CrashPoints.Reached(CrashPoints.AfterCommitBeforeAck);
        return failure.events;
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
