using System.Text;
using Parley.Client.Content;
using Parley.Client.Keys;
using Parley.Client.Storage;
using Parley.Protocol;
using Parley.Protocol.Keys;
using Parley.Protocol.Records;

namespace Parley.Client.Messaging;

/// <summary>
/// Direct two-peer mode: bundles exchanged by the application (e.g. over HTTP), sessions and messages in the
/// same store and under the same identity rules as relay mode. Peers are addressed as device 1.
/// </summary>
internal sealed class PeerMode(ClientContext context, Receiver receiver)
{
    private const int PeerDevice = 1;

    public Task<PeerBundle> CreateBundleAsync(CancellationToken cancellationToken)
    {
        var now = context.Now;
        return context.ProtocolAsync(store =>
        {
            var tx = store.Transaction;
            var counters = SettingsRows.GetCounters(tx);
            var preKey = PreKeyRecord.Generate(counters.NextPreKeyId);
            store.PutPreKey(preKey);
            var kyber = KyberPreKeyRecord.Generate(counters.NextKyberPreKeyId, context.Identity, now);
            store.PutKyberPreKey(kyber, lastResort: false);
            SettingsRows.PutCounters(tx, counters with
            {
                NextPreKeyId = KeyIds.Next(counters.NextPreKeyId),
                NextKyberPreKeyId = KeyIds.Next(counters.NextKyberPreKeyId),
            });
            var signedEntry = tx.GetJson(StoreSchema.SignedPreKeys, StoreJson.Default.SignedPreKeyEntry, (long)counters.CurrentSignedPreKeyId)
                ?? throw new StoreIntegrityException("The current signed prekey is missing.");
            var signed = SignedPreKeyRecord.Deserialize(signedEntry.Record);
            return ValueTask.FromResult(new PeerBundle(
                context.Account.Username,
                context.Account.RegistrationId,
                context.Account.DeviceId,
                context.Identity.IdentityKey.Serialize(),
                preKey.Id,
                preKey.KeyPair.PublicKey.Serialize(),
                signed.Id,
                signed.KeyPair.PublicKey.Serialize(),
                signed.Signature.ToArray(),
                kyber.Id,
                kyber.KeyPair.PublicKey.Serialize(),
                kyber.Signature.ToArray()));
        }, cancellationToken);
    }

    public async Task<PeerSession> AcceptBundleAsync(string name, PeerBundle bundle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var peer = Usernames.Require(name);
        var parsed = Parse(bundle);
        var address = new ProtocolAddress(peer, PeerDevice);
        var (outcome, warning) = await context.ProtocolAsync(async store =>
        {
            var result = await SessionSetup.EstablishAsync(context, store, address, parsed, ParleyErrorCode.InvalidPeerData, cancellationToken).ConfigureAwait(false);
            return (result, store.IdentityNotes.Select(n => context.IdentityEvent(store.Transaction, n)).FirstOrDefault());
        }, cancellationToken).ConfigureAwait(false);
        if (warning is not null)
        {
            context.Events.Publish(warning);
        }

        if (outcome == SetupOutcome.BlockedByVerification)
        {
            throw SessionSetup.Blocked(peer);
        }

        var contact = await new ContactBook(context).GetAsync(peer, cancellationToken).ConfigureAwait(false)
            ?? throw new StoreIntegrityException("The peer's contact was not stored.");
        return new PeerSession(contact, warning);
    }

    public async Task<PeerCiphertext> EncryptAsync(string name, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var peer = Usernames.Require(name);
        if (Encoding.UTF8.GetByteCount(text) > ContentCodec.MaxTextBytes)
        {
            throw new ParleyException(ParleyErrorCode.MessageTooLarge, $"The message is longer than {ContentCodec.MaxTextBytes / 1024} KiB of UTF-8 text.");
        }

        var id = Guid.NewGuid();
        var sentAt = context.Now.ToUnixTimeMilliseconds();
        var content = ContentCodec.Encode(new MessageContent(id, sentAt, text));
        var address = new ProtocolAddress(peer, PeerDevice);
        return await context.ProtocolAsync(async store =>
        {
            var tx = store.Transaction;
            if (ContactRows.Get(tx, peer) is { State: VerificationState.ChangedAfterVerification })
            {
                throw SessionSetup.Blocked(peer);
            }

            Parley.Protocol.Messages.CiphertextMessage message;
            try
            {
                message = await SessionCipher.EncryptAsync(content, address, context.LocalAddress, store, store, context.Protocol, cancellationToken).ConfigureAwait(false);
            }
            catch (NoSessionException e)
            {
                throw new ParleyException(ParleyErrorCode.UnknownContact, $"No session with '{peer}'; accept their peer bundle first.", e);
            }
            catch (UntrustedIdentityException)
            {
                throw SessionSetup.Blocked(peer);
            }

            var seq = tx.Scalar("SELECT COALESCE(MAX(seq), 0) + 1 FROM messages");
            tx.PutJson(
                StoreSchema.Messages,
                [seq, peer, (long)MessageDirection.Outgoing, id.ToByteArray()],
                new MessageEntry(text, sentAt, null, null, DeliveryState.Sent, null),
                StoreJson.Default.MessageEntry);
            return new PeerCiphertext(id, (int)message.Type, message.Serialize());
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ClientEvent>> DecryptAsync(string name, int type, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var peer = Usernames.Require(name);
        var events = await receiver.ProcessPeerAsync(peer, type, body.ToArray(), cancellationToken).ConfigureAwait(false);
        await receiver.MarkReportedAsync(events.OfType<IncomingMessage>(), CancellationToken.None).ConfigureAwait(false);
        return events;
    }

    private static PreKeyBundle Parse(PeerBundle bundle)
    {
        try
        {
            return new PreKeyBundle(
                bundle.RegistrationId,
                PeerDevice,
                bundle.PreKeyId,
                EcPublicKey.Deserialize(bundle.PreKey),
                bundle.SignedPreKeyId,
                EcPublicKey.Deserialize(bundle.SignedPreKey),
                bundle.SignedPreKeySignature,
                IdentityKey.Deserialize(bundle.IdentityKey),
                bundle.KyberPreKeyId,
                KemPublicKey.Deserialize(bundle.KyberPreKey),
                bundle.KyberPreKeySignature);
        }
        catch (Exception e) when (e is ProtocolException or ArgumentException or NullReferenceException)
        {
            throw new ParleyException(ParleyErrorCode.InvalidPeerData, "The peer bundle holds an invalid key.", e);
        }
    }
}
