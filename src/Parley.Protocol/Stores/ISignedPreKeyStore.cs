using Parley.Protocol.Records;

namespace Parley.Protocol.Stores;

/// <summary>Signed Curve25519 pre-keys.</summary>
public interface ISignedPreKeyStore
{
    /// <summary>The signed pre-key with <paramref name="signedPreKeyId"/>, or null.</summary>
    ValueTask<SignedPreKeyRecord?> LoadSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken);

    /// <summary>Saves a signed pre-key.</summary>
    ValueTask StoreSignedPreKeyAsync(uint signedPreKeyId, SignedPreKeyRecord record, CancellationToken cancellationToken);
}
