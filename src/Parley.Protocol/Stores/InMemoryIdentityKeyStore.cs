using Parley.Protocol.Keys;

namespace Parley.Protocol.Stores;

/// <summary>
/// Identity keys in memory with trust on first use: an unknown address is trusted, a changed key is not until
/// <see cref="SaveIdentityAsync"/> replaces it. Thread-safe.
/// </summary>
public sealed class InMemoryIdentityKeyStore : IIdentityKeyStore
{
    private readonly IdentityKeyPair _identity;
    private readonly uint _registrationId;
    private readonly Dictionary<ProtocolAddress, IdentityKey> _known = [];
    private readonly Lock _gate = new();

    /// <summary>Creates the store for a local identity.</summary>
    public InMemoryIdentityKeyStore(IdentityKeyPair identity, uint registrationId)
    {
        ArgumentNullException.ThrowIfNull(identity);
        _identity = identity;
        _registrationId = registrationId;
    }

    /// <inheritdoc />
    public ValueTask<IdentityKeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_identity);

    /// <inheritdoc />
    public ValueTask<uint> GetLocalRegistrationIdAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_registrationId);

    /// <inheritdoc />
    public ValueTask<IdentityChange> SaveIdentityAsync(ProtocolAddress address, IdentityKey identityKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(identityKey);
        lock (_gate)
        {
            var replaced = _known.TryGetValue(address, out var existing) && !existing.Equals(identityKey);
            _known[address] = identityKey;
            return ValueTask.FromResult(replaced ? IdentityChange.ReplacedExisting : IdentityChange.NewOrUnchanged);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> IsTrustedIdentityAsync(ProtocolAddress address, IdentityKey identityKey, TrustDirection direction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(identityKey);
        lock (_gate)
        {
            return ValueTask.FromResult(!_known.TryGetValue(address, out var existing) || existing.Equals(identityKey));
        }
    }

    /// <inheritdoc />
    public ValueTask<IdentityKey?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_gate)
        {
            return ValueTask.FromResult(_known.TryGetValue(address, out var key) ? key : null);
        }
    }

    internal IEnumerable<KeyValuePair<string, byte[]>> Snapshot()
    {
        lock (_gate)
        {
            return _known.Select(p => KeyValuePair.Create(p.Key.ToString(), p.Value.Serialize())).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        }
    }

    internal void CopyTo(InMemoryIdentityKeyStore target)
    {
        lock (_gate)
        {
            foreach (var (address, key) in _known)
            {
                target._known[address] = key;
            }
        }
    }
}
