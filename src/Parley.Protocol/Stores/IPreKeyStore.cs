using Parley.Protocol.Records;

namespace Parley.Protocol.Stores;

/// <summary>One-time Curve25519 pre-keys.</summary>
public interface IPreKeyStore
{
    /// <summary>The pre-key with <paramref name="preKeyId"/>, or null.</summary>
    ValueTask<PreKeyRecord?> LoadPreKeyAsync(uint preKeyId, CancellationToken cancellationToken);

    /// <summary>Saves a pre-key.</summary>
    ValueTask StorePreKeyAsync(uint preKeyId, PreKeyRecord record, CancellationToken cancellationToken);

    /// <summary>Deletes a pre-key (after a session was built with it).</summary>
    ValueTask RemovePreKeyAsync(uint preKeyId, CancellationToken cancellationToken);
}
