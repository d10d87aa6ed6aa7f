using System.Text;
using Parley.Client.Content;
using Parley.Client.Diagnostics;
using Parley.Client.Relay;
using Parley.Client.Storage;
using Parley.Contracts.Errors;
using Parley.Contracts.Keys;
using Parley.Contracts.Messages;
using Parley.Protocol;
using Parley.Protocol.Records;

namespace Parley.Client.Messaging;

/// <summary>
/// The send path. A message is first written to the outbox (with its history row), then encrypted — the new
/// session state and the envelopes are committed together, so a resend is byte-identical and never reuses a
/// message key — then submitted with its message id; only the relay's success removes it from the outbox.
/// A 409 refreshes the recipient's devices and retries with the same id. Flushes run one at a time, in order.
/// </summary>
internal sealed class Sender(ClientContext context) : IDisposable
{
    private const int MaxMismatchRetries = 4;
    private static readonly TimeSpan ResetInterval = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _flushLock = new(1, 1);
    private readonly Dictionary<string, DateTimeOffset> _lastReset = new(StringComparer.Ordinal);

    public async Task<SendResult> SendTextAsync(string username, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var name = Usernames.Require(username);
        context.RequireRelay();
        if (Encoding.UTF8.GetByteCount(text) > ContentCodec.MaxTextBytes)
        {
            throw new ParleyException(ParleyErrorCode.MessageTooLarge, $"The message is longer than {ContentCodec.MaxTextBytes / 1024} KiB of UTF-8 text.");
        }

        var id = Guid.NewGuid();
        var sentAt = context.Now.ToUnixTimeMilliseconds();
        var content = ContentCodec.Encode(new MessageContent(id, sentAt, text));
        await context.Database.WriteAsync(tx =>
        {
            if (ContactRows.Get(tx, name) is { State: VerificationState.ChangedAfterVerification })
            {
                throw SessionSetup.Blocked(name);
            }

            var outboxSeq = tx.Scalar("SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox");
            tx.PutJson(StoreSchema.Outbox, [outboxSeq, name, id.ToByteArray()], new OutboxEntry(content, sentAt, null, 0), StoreJson.Default.OutboxEntry);
            var messageSeq = tx.Scalar("SELECT COALESCE(MAX(seq), 0) + 1 FROM messages");
            tx.PutJson(
                StoreSchema.Messages,
                [messageSeq, name, (long)MessageDirection.Outgoing, id.ToByteArray()],
                new MessageEntry(text, sentAt, null, null, DeliveryState.Queued, null),
                StoreJson.Default.MessageEntry);
            return ValueTask.FromResult(true);
        }, cancellationToken).ConfigureAwait(false);

        var outcomes = await FlushCoreAsync(cancellationToken).ConfigureAwait(false);
        if (!outcomes.TryGetValue(id, out var outcome) || outcome.State == DeliveryState.Queued)
        {
            return new SendResult(id, name, DeliveryState.Queued, []) { IdentityWarning = outcome?.Warning };
        }

        if (outcome.State == DeliveryState.Failed)
        {
            throw outcome.Error!;
        }

        return new SendResult(id, name, DeliveryState.Sent, outcome.Devices) { IdentityWarning = outcome.Warning };
    }

    public async Task<OutboxFlushResult> FlushAsync(CancellationToken cancellationToken)
    {
        context.RequireRelay();
        var outcomes = await FlushCoreAsync(cancellationToken).ConfigureAwait(false);
        return new OutboxFlushResult(
            outcomes.Values.Count(o => o.State == DeliveryState.Sent),
            outcomes.Values.Count(o => o.State == DeliveryState.Failed),
            outcomes.Values.Count(o => o.State == DeliveryState.Queued));
    }

    /// <summary>
    /// Tells <paramref name="peer"/> that its message (sent at <paramref name="failedTimestampMs"/>) could not be
    /// decrypted, over a fresh session: the peer then sees our current identity (and its identity rules apply)
    /// and resends the message. Best effort, at most once a minute per peer; errors are swallowed.
    /// </summary>
    public async Task SendSessionResetAsync(string peer, long failedTimestampMs, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        lock (_lastReset)
        {
            if (_lastReset.TryGetValue(peer, out var last) && now - last < ResetInterval)
            {
                return;
            }

            _lastReset[peer] = now;
        }

        await _flushLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var relay = context.RequireRelay();
            var bundles = await relay.BundlesAsync(peer, cancellationToken).ConfigureAwait(false);
            var content = ContentCodec.Encode(new MessageContent(Guid.NewGuid(), context.Now.ToUnixTimeMilliseconds(), "", ContentKind.SessionReset, failedTimestampMs));
            var envelopes = await context.ProtocolAsync(async store =>
            {
                var prepared = new List<OutgoingEnvelope>();
                foreach (var device in bundles.Devices)
                {
                    var address = new ProtocolAddress(peer, device.DeviceId);
                    if (await SessionSetup.EstablishAsync(context, store, address, SessionSetup.FromRelay(device, peer), ParleyErrorCode.RelayRejected, cancellationToken).ConfigureAwait(false)
                        == SetupOutcome.BlockedByVerification)
                    {
                        // A verified contact whose key changed: say nothing until the user decides.
                        return [];
                    }

                    var message = await SessionCipher.EncryptAsync(content, address, context.LocalAddress, store, store, context.Protocol, cancellationToken).ConfigureAwait(false);
                    prepared.Add(new OutgoingEnvelope(device.DeviceId, (EnvelopeType)message.Type, message.Serialize()));
                }

                return prepared;
            }, cancellationToken).ConfigureAwait(false);
            if (envelopes.Count > 0)
            {
                await relay.SendMessageAsync(peer, new SendMessageRequest(Guid.NewGuid(), context.Now.ToUnixTimeMilliseconds(), envelopes), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is ParleyException or RelayProblemException or ProtocolException)
        {
            // Best effort: the peer learns of the problem on our next message instead.
        }
        finally
        {
            _flushLock.Release();
        }
    }

    public void Dispose() => _flushLock.Dispose();

    private async Task<Dictionary<Guid, Outcome>> FlushCoreAsync(CancellationToken cancellationToken)
    {
        var outcomes = new Dictionary<Guid, Outcome>();
        await _flushLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pending = await context.Database.ReadAsync(
                tx => ValueTask.FromResult(tx.Query(StoreSchema.Outbox, "1 = 1 ORDER BY seq")), cancellationToken).ConfigureAwait(false);
            var stopped = false;
            foreach (var row in pending)
            {
                var item = new OutboxItem((long)row.Values[0], (string)row.Values[1], new Guid((byte[])row.Values[2]), StoreTransactionJson.Parse(row.Plaintext, StoreJson.Default.OutboxEntry));
                if (stopped)
                {
                    outcomes[item.MessageId] = new Outcome(DeliveryState.Queued);
                    continue;
                }

                try
                {
                    outcomes[item.MessageId] = await DeliverAsync(item, cancellationToken).ConfigureAwait(false);
                }
                catch (ParleyException e) when (e.IsTransient)
                {
                    // The relay is unreachable or asks us to wait: keep this and every later message queued, in order.
                    outcomes[item.MessageId] = new Outcome(DeliveryState.Queued);
                    stopped = true;
                }
                catch (ParleyException e) when (e.Code is not (ParleyErrorCode.Unauthorized or ParleyErrorCode.StoreTampered))
                {
                    await FailAsync(item, e).ConfigureAwait(false);
                    outcomes[item.MessageId] = new Outcome(DeliveryState.Failed) { Error = e };
                }
            }
        }
        finally
        {
            _flushLock.Release();
        }

        return outcomes;
    }

    private async Task<Outcome> DeliverAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        var relay = context.RequireRelay();
        IdentityChanged? warning = null;
        IReadOnlyList<int> missing = [];
        IReadOnlyList<int> extra = [];
        for (var attempt = 0; attempt <= MaxMismatchRetries; attempt++)
        {
            if (item.Entry.Envelopes is null || missing.Count > 0 || extra.Count > 0)
            {
                (item, var prepareWarning) = await PrepareAsync(item, missing, extra, cancellationToken).ConfigureAwait(false);
                warning ??= prepareWarning;
                CrashPoints.Reached(CrashPoints.AfterOutboxBeforeSend);
            }

            var envelopes = item.Entry.Envelopes!;
            if (envelopes.Count == 0)
            {
                throw new ParleyException(ParleyErrorCode.NoDevices, $"'{item.Peer}' has no device that can receive messages.");
            }

            SendMessageResponse response;
            try
            {
                response = await relay.SendMessageAsync(
                    item.Peer,
                    new SendMessageRequest(item.Entry.SubmissionId ?? item.MessageId, item.Entry.SentAtMs, [.. envelopes.Select(e => new OutgoingEnvelope(e.DeviceId, (EnvelopeType)e.Type, e.Body))]),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (RelayProblemException e) when (e.Code == ErrorCodes.DeviceMismatch)
            {
                missing = e.Problem?.MissingDevices ?? [];
                extra = e.Problem?.ExtraDevices ?? [];
                if (missing.Count == 0 && extra.Count == 0)
                {
                    throw RelayErrors.ToParley(e, item.Peer);
                }

                continue;
            }
            catch (RelayProblemException e)
            {
                throw RelayErrors.ToParley(e, item.Peer);
            }

            CrashPoints.Reached(CrashPoints.AfterSendBeforeOutboxDelete);
            var devices = response.Envelopes.Select(e => new DeviceDelivery(e.DeviceId, e.EnvelopeId)).OrderBy(d => d.DeviceId).ToList();
            await context.Database.WriteAsync(tx =>
            {
                tx.Delete(StoreSchema.Outbox, item.Sequence);
                UpdateHistory(tx, item, DeliveryState.Sent, devices);
                return ValueTask.FromResult(true);
            }, CancellationToken.None).ConfigureAwait(false);
            context.Events.Publish(new DeliveryUpdate(item.MessageId, item.Peer, DeliveryState.Sent) { At = context.Now });
            return new Outcome(DeliveryState.Sent) { Devices = devices, Warning = warning };
        }

        throw new ParleyException(ParleyErrorCode.RelayRejected, $"The device list of '{item.Peer}' kept changing; try again.");
    }

    /// <summary>
    /// Encrypts the message for the devices that need it (all usable ones at first; after a 409 the missing
    /// ones) and commits the envelopes together with the session updates.
    /// </summary>
    private async Task<(OutboxItem Item, IdentityChanged? Warning)> PrepareAsync(
        OutboxItem item, IReadOnlyList<int> missing, IReadOnlyList<int> extra, CancellationToken cancellationToken)
    {
        var peer = item.Peer;
        var now = context.Now;
        var usable = await context.Database.ReadAsync(tx =>
        {
            var devices = new List<int>();
            foreach (var row in tx.Query(StoreSchema.Sessions, "name = $name ORDER BY device", ("$name", peer)))
            {
                if (SessionRecord.Deserialize(row.Plaintext).HasUsableSenderChain(now))
                {
                    devices.Add(checked((int)(long)row.Values[1]));
                }
            }

            return ValueTask.FromResult(devices);
        }, cancellationToken).ConfigureAwait(false);

        var kept = (item.Entry.Envelopes ?? []).Where(e => !extra.Contains(e.DeviceId) && !missing.Contains(e.DeviceId)).ToList();
        var targets = item.Entry.Envelopes is null ? usable.Where(d => !extra.Contains(d)).ToList() : [.. missing];
        var needBundles = (item.Entry.Envelopes is null && targets.Count == 0) || targets.Any(d => !usable.Contains(d));
        PreKeyBundleResponse? bundles = null;
        if (needBundles)
        {
            try
            {
                bundles = await context.RequireRelay().BundlesAsync(peer, cancellationToken).ConfigureAwait(false);
            }
            catch (RelayProblemException e)
            {
                throw RelayErrors.ToParley(e, peer);
            }

            if (item.Entry.Envelopes is null && targets.Count == 0)
            {
                targets = [.. bundles.Devices.Select(d => d.DeviceId).Where(d => !extra.Contains(d))];
            }
        }

        var (outcome, prepared) = await context.ProtocolAsync(async store =>
        {
            var tx = store.Transaction;
            foreach (var device in extra)
            {
                store.DeleteSession(new ProtocolAddress(peer, device));
            }

            var envelopes = new List<PreparedEnvelope>(kept);
            var blocked = false;
            foreach (var device in targets)
            {
                var address = new ProtocolAddress(peer, device);
                if (!usable.Contains(device))
                {
                    var bundle = bundles?.Devices.FirstOrDefault(b => b.DeviceId == device);
                    if (bundle is null)
                    {
                        // The relay did not offer this device: leave it out and let a 409 tell us otherwise.
                        continue;
                    }

                    if (await SessionSetup.EstablishAsync(context, store, address, SessionSetup.FromRelay(bundle, peer), ParleyErrorCode.RelayRejected, cancellationToken).ConfigureAwait(false)
                        == SetupOutcome.BlockedByVerification)
                    {
                        blocked = true;
                        break;
                    }
                }

                try
                {
                    var message = await SessionCipher.EncryptAsync(item.Entry.Content, address, context.LocalAddress, store, store, context.Protocol, cancellationToken).ConfigureAwait(false);
                    envelopes.Add(new PreparedEnvelope(device, (int)message.Type, message.Serialize()));
                }
                catch (UntrustedIdentityException)
                {
                    blocked = true;
                    break;
                }
            }

            var warning = store.IdentityNotes.Select(n => context.IdentityEvent(tx, n)).FirstOrDefault();
            if (blocked)
            {
                // Keep the newly seen identity key (so the user can verify it); drop the message.
                tx.Delete(StoreSchema.Outbox, item.Sequence);
                UpdateHistory(tx, item, DeliveryState.Failed, null);
                return (warning, (OutboxItem?)null);
            }

            var updated = item with { Entry = item.Entry with { Envelopes = envelopes, Attempts = item.Entry.Attempts + 1 } };
            tx.PutJson(StoreSchema.Outbox, [item.Sequence, peer, item.MessageId.ToByteArray()], updated.Entry, StoreJson.Default.OutboxEntry);
            return (warning, updated);
        }, cancellationToken).ConfigureAwait(false);

        if (outcome is not null)
        {
            context.Events.Publish(outcome);
        }

        if (prepared is null)
        {
            throw SessionSetup.Blocked(peer);
        }

        return (prepared, outcome);
    }

    private async Task FailAsync(OutboxItem item, ParleyException error)
    {
        await context.Database.WriteAsync(tx =>
        {
            tx.Delete(StoreSchema.Outbox, item.Sequence);
            UpdateHistory(tx, item, DeliveryState.Failed, null);
            return ValueTask.FromResult(true);
        }, CancellationToken.None).ConfigureAwait(false);
        context.Events.Publish(new DeliveryUpdate(item.MessageId, item.Peer, DeliveryState.Failed, error.Code) { At = context.Now });
    }

    private static void UpdateHistory(StoreTransaction tx, OutboxItem item, DeliveryState state, IReadOnlyList<DeviceDelivery>? devices)
    {
        var row = tx.Query(
            StoreSchema.Messages, "peer = $peer AND direction = $direction AND message_id = $id",
            ("$peer", item.Peer), ("$direction", (long)MessageDirection.Outgoing), ("$id", item.MessageId.ToByteArray())).FirstOrDefault();
        if (row.Values is null)
        {
            return;
        }

        var entry = StoreTransactionJson.Parse(row.Plaintext, StoreJson.Default.MessageEntry);
        tx.PutJson(StoreSchema.Messages, row.Values, entry with { Delivery = state, Devices = devices }, StoreJson.Default.MessageEntry);
    }

    private sealed record OutboxItem(long Sequence, string Peer, Guid MessageId, OutboxEntry Entry);

    private sealed record Outcome(DeliveryState State)
    {
        public IReadOnlyList<DeviceDelivery> Devices { get; init; } = [];

        public IdentityChanged? Warning { get; init; }

        public ParleyException? Error { get; init; }
    }
}
