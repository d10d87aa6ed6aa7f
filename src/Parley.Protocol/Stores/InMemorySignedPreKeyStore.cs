using Parley.Protocol.Records;

namespace Parley.Protocol.Stores;

/// <summary>Signed pre-keys in memory (held serialized). Thread-safe.</summary>
public sealed class InMemorySignedPreKeyStore : ISignedPreKeyStore
{
    private readonly Dictionary<uint, byte[]> _keys = [];
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public ValueTask<SignedPreKeyRecord?> LoadSignedPreKeyAsync(uint signedPreKeyId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_keys.TryGetValue(signedPreKeyId, out var bytes) ? SignedPreKeyRecord.Deserialize(bytes) : null);
        }
    }

    /// <inheritdoc />
    public ValueTask StoreSignedPreKeyAsync(uint signedPreKeyId, SignedPreKeyRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var bytes = record.Serialize();
        lock (_gate)
        {
            _keys[signedPreKeyId] = bytes;
        }

        return ValueTask.CompletedTask;
    }

    internal IEnumerable<KeyValuePair<string, byte[]>> Snapshot()
    {
        lock (_gate)
        {
            return _keys.OrderBy(p => p.Key).Select(p => KeyValuePair.Create(p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), (byte[])p.Value.Clone())).ToList();
        }
    }

    internal void CopyTo(InMemorySignedPreKeyStore target)
    {
        lock (_gate)
        {
            foreach (var (id, bytes) in _keys)
            {
                target._keys[id] = bytes;
            }
        }
    }
}
