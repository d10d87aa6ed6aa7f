using Parley.Protocol.Records;

namespace Parley.Protocol.Stores;

/// <summary>One-time pre-keys in memory (held serialized). Thread-safe.</summary>
public sealed class InMemoryPreKeyStore : IPreKeyStore
{
    private readonly Dictionary<uint, byte[]> _keys = [];
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public ValueTask<PreKeyRecord?> LoadPreKeyAsync(uint preKeyId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_keys.TryGetValue(preKeyId, out var bytes) ? PreKeyRecord.Deserialize(bytes) : null);
        }
    }

    /// <inheritdoc />
    public ValueTask StorePreKeyAsync(uint preKeyId, PreKeyRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var bytes = record.Serialize();
        lock (_gate)
        {
            _keys[preKeyId] = bytes;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask RemovePreKeyAsync(uint preKeyId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _keys.Remove(preKeyId);
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

    internal void CopyTo(InMemoryPreKeyStore target)
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
