using Parley.Protocol.Keys;
using Parley.Protocol.Records;

namespace Parley.Protocol.Stores;

/// <summary>All six in-memory stores behind one <see cref="IProtocolStore"/>.</summary>
public sealed class InMemoryProtocolStore : IProtocolStore
{
    /// <summary>Creates empty stores for a local identity.</summary>
    public InMemoryProtocolStore(IdentityKeyPair identity, uint registrationId)
    {
        Identities = new InMemoryIdentityKeyStore(identity, registrationId);
    }

    /// <summary>The session store.</summary>
    public InMemorySessionStore Sessions { get; } = new();

    /// <summary>The identity store.</summary>
    public InMemoryIdentityKeyStore Identities { get; }

    /// <summary>The one-time pre-key store.</summary>
    public InMemoryPreKeyStore PreKeys { get; } = new();

    /// <summary>The signed pre-key store.</summary>
    public InMemorySignedPreKeyStore SignedPreKeys { get; } = new();

    /// <summary>The Kyber pre-key store.</summary>
    public InMemoryKyberPreKeyStore KyberPreKeys { get; } = new();

    /// <summary>The sender-key store.</summary>
    public InMemorySenderKeyStore SenderKeys { get; } = new();

    /// <inheritdoc />
    public ValueTask<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken) => Sessions.LoadSessionAsync(address, cancellationToken);

    /// <inheritdoc />
    public ValueTask StoreSessionAsync(ProtocolAddress address, SessionRecord record, CancellationToken cancellationToken) => Sessions.StoreSessionAsync(address, record, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IdentityKeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken) => Identities.GetIdentityKeyPairAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<uint> GetLocalRegistrationIdAsync(CancellationToken cancellationToken) => Identities.GetLocalRegistrationIdAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<IdentityChange> SaveIdentityAsync(ProtocolAddress address, IdentityKey identityKey, CancellationToken cancellationToken) => Identities.SaveIdentityAsync(address, identityKey, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> IsTrustedIdentityAsync(ProtocolAddress address, IdentityKey identityKey, TrustDirection direction, CancellationToken cancellationToken) => Identities.IsTrustedIdentityAsync(address, identityKey, direction, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IdentityKey?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken) => Identities.GetIdentityAsync(address, cancellationToken);

    /// <inheritdoc />
    public ValueTask<PreKeyRecord?> LoadPreKeyAsync(uint preKeyId, CancellationToken cancellationToken) => PreKeys.LoadPreKeyAsync(preKeyId, cancellationToken);

    /// <inheritdoc />
    public ValueTask StorePreKeyAsync(uint preKeyId, PreKeyRecord record, CancellationToken cancellationToken) => PreKeys.StorePreKeyAsync(preKeyId, record, cancellationToken);

    /// <inheritdoc />
    public ValueTask RemovePreKeyAsync(uint preKeyId, CancellationToken cancellationToken) => PreKeys.RemovePreKeyAsync(preKeyId, cancellationToken);

    /// <inheritdoc />
    public ValueTask<SignedPreKeyRecord?> LoadSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken) => SignedPreKeys.LoadSignedPreKeyAsync(signedPreKeyId, cancellationToken);

    /// <inheritdoc />
    public ValueTask StoreSignedPreKeyAsync(uint signedPreKeyId, SignedPreKeyRecord record, CancellationToken cancellationToken) => SignedPreKeys.StoreSignedPreKeyAsync(signedPreKeyId, record, cancellationToken);

    /// <inheritdoc />
    public ValueTask<KyberPreKeyRecord?> LoadKyberPreKeyAsync(uint kyberPreKeyId, CancellationToken cancellationToken) => KyberPreKeys.LoadKyberPreKeyAsync(kyberPreKeyId, cancellationToken);

    /// <inheritdoc />
    public ValueTask StoreKyberPreKeyAsync(uint kyberPreKeyId, KyberPreKeyRecord record, CancellationToken cancellationToken) => KyberPreKeys.StoreKyberPreKeyAsync(kyberPreKeyId, record, cancellationToken);

    /// <inheritdoc />
    public ValueTask MarkKyberPreKeyUsedAsync(uint kyberPreKeyId, uint signedPreKeyId, EcPublicKey baseKey, CancellationToken cancellationToken) => KyberPreKeys.MarkKyberPreKeyUsedAsync(kyberPreKeyId, signedPreKeyId, baseKey, cancellationToken);

    /// <inheritdoc />
    public ValueTask StoreSenderKeyAsync(ProtocolAddress sender, Guid distributionId, SenderKeyRecord record, CancellationToken cancellationToken) => SenderKeys.StoreSenderKeyAsync(sender, distributionId, record, cancellationToken);

    /// <inheritdoc />
    public ValueTask<SenderKeyRecord?> LoadSenderKeyAsync(ProtocolAddress sender, Guid distributionId, CancellationToken cancellationToken) => SenderKeys.LoadSenderKeyAsync(sender, distributionId, cancellationToken);

    /// <summary>An independent copy of every store (records are immutable byte arrays, so sharing them is safe).</summary>
    internal InMemoryProtocolStore Clone(IdentityKeyPair identity, uint registrationId)
    {
        var copy = new InMemoryProtocolStore(identity, registrationId);
        Sessions.CopyTo(copy.Sessions);
        Identities.CopyTo(copy.Identities);
        PreKeys.CopyTo(copy.PreKeys);
        SignedPreKeys.CopyTo(copy.SignedPreKeys);
        KyberPreKeys.CopyTo(copy.KyberPreKeys);
        SenderKeys.CopyTo(copy.SenderKeys);
        return copy;
    }

    /// <summary>
    /// SHA-256 over the contents of all six stores (sessions, identities, pre-keys, signed and Kyber pre-keys with
    /// their use marks, sender keys). Equal digests mean byte-identical state: tests and interop drivers use it to show
    /// that a rejected message changed nothing. It reveals nothing about the keys.
    /// </summary>
    public byte[] ComputeStateDigest()
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        void Add(string section, IEnumerable<KeyValuePair<string, byte[]>> entries)
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes("[" + section + "]"));
            foreach (var (key, value) in entries)
            {
                sha.AppendData(System.Text.Encoding.UTF8.GetBytes(key + "=" + value.Length + ":"));
                sha.AppendData(value);
            }
        }

        Add("sessions", Sessions.Snapshot());
        Add("identities", Identities.Snapshot());
        Add("prekeys", PreKeys.Snapshot());
        Add("signed", SignedPreKeys.Snapshot());
        Add("kyber", KyberPreKeys.Snapshot());
        Add("senderkeys", SenderKeys.Snapshot());
        return sha.GetHashAndReset();
    }
}
