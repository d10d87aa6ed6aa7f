using Parley.Protocol.Keys;
using Parley.Protocol.Records;

namespace Parley.Protocol.Stores;

/// <summary>Signed Kyber1024 pre-keys, one-time and last resort.</summary>
public interface IKyberPreKeyStore
{
    /// <summary>The Kyber pre-key with <paramref name="kyberPreKeyId"/>, or null.</summary>
    ValueTask<KyberPreKeyRecord?> LoadKyberPreKeyAsync(uint kyberPreKeyId, CancellationToken cancellationToken);

    /// <summary>Saves a Kyber pre-key.</summary>
    ValueTask StoreKyberPreKeyAsync(uint kyberPreKeyId, KyberPreKeyRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Called once a PreKey message built a new session with this Kyber pre-key. A one-time key should be deleted;
    /// a last-resort key stays, and the store should remember (<paramref name="signedPreKeyId"/>,
    /// <paramref name="baseKey"/>) and throw <see cref="ReusedBaseKeyException"/> when the same combination comes
    /// again, so a replayed PreKey message cannot start a second session.
    /// </summary>
    ValueTask MarkKyberPreKeyUsedAsync(uint kyberPreKeyId, uint signedPreKeyId, EcPublicKey baseKey, CancellationToken cancellationToken);
}
