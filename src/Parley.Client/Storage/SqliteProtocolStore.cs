using System.Security.Cryptography;
using System.Text.Json.Serialization.Metadata;
using Parley.Client.Diagnostics;
using Parley.Protocol;
using Parley.Protocol.Keys;
using Parley.Protocol.Records;
using Parley.Protocol.Stores;

namespace Parley.Client.Storage;

/// <summary>A contact whose identity key was replaced inside the current transaction.</summary>
internal sealed record IdentityNote(string Contact, bool WasVerified, bool SendingBlocked);

/// <summary>
/// The protocol stores over one <see cref="StoreTransaction"/>: whatever a decrypt or encrypt writes commits
/// or rolls back together with the caller's own rows (dedup id, plaintext, outbox entry).
/// Identity trust is per address on first use, plus the contact's verification: a contact whose key changed
/// after it was verified is not trusted for sending.
/// </summary>
internal sealed class SqliteProtocolStore : IProtocolStore
{
    private readonly StoreTransaction _tx;
    private readonly IdentityKeyPair _identity;
    private readonly uint _registrationId;
    private readonly TimeProvider _time;

    public SqliteProtocolStore(StoreTransaction transaction, IdentityKeyPair identity, uint registrationId, TimeProvider time)
    {
        _tx = transaction;
        _identity = identity;
        _registrationId = registrationId;
        _time = time;
    }

    /// <summary>Identity changes made through <see cref="SaveIdentityAsync"/> in this transaction.</summary>
    public List<IdentityNote> IdentityNotes { get; } = [];

    public StoreTransaction Transaction => _tx;

    public ValueTask<IdentityKeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_identity);

    public ValueTask<uint> GetLocalRegistrationIdAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_registrationId);

    public ValueTask<IdentityChange> SaveIdentityAsync(ProtocolAddress address, IdentityKey identityKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(identityKey);
        var key = identityKey.Serialize();
        var existing = _tx.Get(StoreSchema.Identities, address.Name, (long)address.DeviceId);
        if (existing is not null && CryptographicOperations.FixedTimeEquals(existing, key))
        {
            return ValueTask.FromResult(IdentityChange.NewOrUnchanged);
        }

        _tx.Put(StoreSchema.Identities, [address.Name, (long)address.DeviceId], key);
        if (existing is not null)
        {
            // A session with the old identity must not be used again; a protocol flow that is replacing the
            // identity stores its new session right after this.
            _tx.Delete(StoreSchema.Sessions, address.Name, (long)address.DeviceId);
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var contact = ContactRows.Get(_tx, address.Name);
        if (contact is null)
        {
            ContactRows.Put(_tx, address.Name, new ContactEntry(VerificationState.Unverified, null, now, null));
            return ValueTask.FromResult(IdentityChange.NewOrUnchanged);
        }

        var replaced = existing is not null;
        var breaksVerification = contact.State == VerificationState.Verified
            && (contact.VerifiedKey is null || !CryptographicOperations.FixedTimeEquals(contact.VerifiedKey, key));
        if (replaced || breaksVerification)
        {
            var state = breaksVerification || contact.State == VerificationState.ChangedAfterVerification
                ? VerificationState.ChangedAfterVerification
                : contact.State;
            ContactRows.Put(_tx, address.Name, contact with { State = state, IdentityChangedAtMs = now });
            IdentityNotes.Add(new IdentityNote(address.Name, contact.State != VerificationState.Unverified, state == VerificationState.ChangedAfterVerification));
        }

        return ValueTask.FromResult(replaced ? IdentityChange.ReplacedExisting : IdentityChange.NewOrUnchanged);
    }

    public ValueTask<bool> IsTrustedIdentityAsync(ProtocolAddress address, IdentityKey identityKey, TrustDirection direction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(identityKey);
        var existing = _tx.Get(StoreSchema.Identities, address.Name, (long)address.DeviceId);
        if (existing is not null && !CryptographicOperations.FixedTimeEquals(existing, identityKey.Serialize()))
        {
            return ValueTask.FromResult(false);
        }

        if (direction == TrustDirection.Sending && ContactRows.Get(_tx, address.Name) is { State: VerificationState.ChangedAfterVerification })
        {
            return ValueTask.FromResult(false);
        }

        return ValueTask.FromResult(true);
    }

    public ValueTask<IdentityKey?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = _tx.Get(StoreSchema.Identities, address.Name, (long)address.DeviceId);
        return ValueTask.FromResult(bytes is null ? null : IdentityKey.Deserialize(bytes));
    }

    public ValueTask<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = _tx.Get(StoreSchema.Sessions, address.Name, (long)address.DeviceId);
        return ValueTask.FromResult(bytes is null ? null : SessionRecord.Deserialize(bytes));
    }

    public ValueTask StoreSessionAsync(ProtocolAddress address, SessionRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(record);
        var bytes = record.Serialize();
        _tx.Put(StoreSchema.Sessions, [address.Name, (long)address.DeviceId], bytes);
        CryptographicOperations.ZeroMemory(bytes);
        CrashPoints.Reached(CrashPoints.DuringSessionSave);
        return ValueTask.CompletedTask;
    }

    /// <summary>Device ids we hold a session with for <paramref name="name"/>, ascending.</summary>
    public List<int> SessionDevices(string name) =>
        [.. _tx.Query(StoreSchema.Sessions, "name = $name ORDER BY device", ("$name", name)).Select(r => checked((int)(long)r.Values[1]))];

    public bool DeleteSession(ProtocolAddress address) => _tx.Delete(StoreSchema.Sessions, address.Name, (long)address.DeviceId);

    public ValueTask<PreKeyRecord?> LoadPreKeyAsync(uint preKeyId, CancellationToken cancellationToken)
    {
        var bytes = _tx.Get(StoreSchema.PreKeys, (long)preKeyId);
        return ValueTask.FromResult(bytes is null ? null : PreKeyRecord.Deserialize(bytes));
    }

    public ValueTask StorePreKeyAsync(uint preKeyId, PreKeyRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        _tx.Put(StoreSchema.PreKeys, [(long)preKeyId], record.Serialize());
        return ValueTask.CompletedTask;
    }

    public void PutPreKey(PreKeyRecord record) => _tx.Put(StoreSchema.PreKeys, [(long)record.Id], record.Serialize());

    public void PutSignedPreKey(SignedPreKeyRecord record) =>
        PutJson(StoreSchema.SignedPreKeys, [(long)record.Id], new SignedPreKeyEntry(record.Serialize(), null), StoreJson.Default.SignedPreKeyEntry);

    public void PutKyberPreKey(KyberPreKeyRecord record, bool lastResort) =>
        PutJson(StoreSchema.KyberPreKeys, [(long)record.Id], new KyberPreKeyEntry(record.Serialize(), lastResort, null), StoreJson.Default.KyberPreKeyEntry);

    public ValueTask RemovePreKeyAsync(uint preKeyId, CancellationToken cancellationToken)
    {
        _tx.Delete(StoreSchema.PreKeys, (long)preKeyId);
        return ValueTask.CompletedTask;
    }

    public ValueTask<SignedPreKeyRecord?> LoadSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken)
    {
        var entry = GetJson(StoreSchema.SignedPreKeys, StoreJson.Default.SignedPreKeyEntry, (long)signedPreKeyId);
        return ValueTask.FromResult(entry is null ? null : SignedPreKeyRecord.Deserialize(entry.Record));
    }

    public ValueTask StoreSignedPreKeyAsync(uint signedPreKeyId, SignedPreKeyRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        PutJson(StoreSchema.SignedPreKeys, [(long)signedPreKeyId], new SignedPreKeyEntry(record.Serialize(), null), StoreJson.Default.SignedPreKeyEntry);
        return ValueTask.CompletedTask;
    }

    public ValueTask<KyberPreKeyRecord?> LoadKyberPreKeyAsync(uint kyberPreKeyId, CancellationToken cancellationToken)
    {
        var entry = GetJson(StoreSchema.KyberPreKeys, StoreJson.Default.KyberPreKeyEntry, (long)kyberPreKeyId);
        return ValueTask.FromResult(entry is null ? null : KyberPreKeyRecord.Deserialize(entry.Record));
    }

    /// <summary>Saves a one-time Kyber prekey.</summary>
    public ValueTask StoreKyberPreKeyAsync(uint kyberPreKeyId, KyberPreKeyRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        PutJson(StoreSchema.KyberPreKeys, [(long)kyberPreKeyId], new KyberPreKeyEntry(record.Serialize(), false, null), StoreJson.Default.KyberPreKeyEntry);
        return ValueTask.CompletedTask;
    }

    public ValueTask MarkKyberPreKeyUsedAsync(uint kyberPreKeyId, uint signedPreKeyId, EcPublicKey baseKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseKey);
        var entry = GetJson(StoreSchema.KyberPreKeys, StoreJson.Default.KyberPreKeyEntry, (long)kyberPreKeyId)
            ?? throw new InvalidPreKeyIdException(PreKeyKind.Kyber, kyberPreKeyId);
        if (!entry.LastResort)
        {
            _tx.Delete(StoreSchema.KyberPreKeys, (long)kyberPreKeyId);
            return ValueTask.CompletedTask;
        }

        var baseKeyHash = SHA256.HashData(baseKey.Serialize());
        if (_tx.Get(StoreSchema.KyberUsed, (long)kyberPreKeyId, (long)signedPreKeyId, baseKeyHash) is not null)
        {
            throw new ReusedBaseKeyException();
        }

        _tx.Put(StoreSchema.KyberUsed, [(long)kyberPreKeyId, (long)signedPreKeyId, baseKeyHash], []);
        return ValueTask.CompletedTask;
    }

    public ValueTask StoreSenderKeyAsync(ProtocolAddress sender, Guid distributionId, SenderKeyRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(record);
        _tx.Put(StoreSchema.SenderKeys, [sender.Name, (long)sender.DeviceId, distributionId.ToString("D")], record.Serialize());
        return ValueTask.CompletedTask;
    }

    public ValueTask<SenderKeyRecord?> LoadSenderKeyAsync(ProtocolAddress sender, Guid distributionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var bytes = _tx.Get(StoreSchema.SenderKeys, sender.Name, (long)sender.DeviceId, distributionId.ToString("D"));
        return ValueTask.FromResult(bytes is null ? null : SenderKeyRecord.Deserialize(bytes));
    }

    private T? GetJson<T>(SealedTable table, JsonTypeInfo<T> info, params object[] key)
        where T : class => _tx.GetJson(table, info, key);

    private void PutJson<T>(SealedTable table, object[] values, T value, JsonTypeInfo<T> info) => _tx.PutJson(table, values, value, info);
}
