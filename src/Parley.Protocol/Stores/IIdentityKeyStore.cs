using Parley.Protocol.Keys;

namespace Parley.Protocol.Stores;

/// <summary>The local identity and the peers' identity keys, with the trust decision.</summary>
public interface IIdentityKeyStore
{
    /// <summary>Our identity key pair.</summary>
    ValueTask<IdentityKeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken);

    /// <summary>Our registration id.</summary>
    ValueTask<uint> GetLocalRegistrationIdAsync(CancellationToken cancellationToken);

    /// <summary>Records <paramref name="identityKey"/> as the peer's identity.</summary>
    ValueTask<IdentityChange> SaveIdentityAsync(ProtocolAddress address, IdentityKey identityKey, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <paramref name="identityKey"/> is trusted for <paramref name="address"/>. Trust on first use:
    /// an unknown address is trusted; a key different from the stored one is not.
    /// </summary>
    ValueTask<bool> IsTrustedIdentityAsync(ProtocolAddress address, IdentityKey identityKey, TrustDirection direction, CancellationToken cancellationToken);

    /// <summary>The stored identity key for <paramref name="address"/>, if any.</summary>
    ValueTask<IdentityKey?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken);
}
