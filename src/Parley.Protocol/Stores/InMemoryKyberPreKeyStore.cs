using Parley.Protocol.Keys;
using Parley.Protocol.Records;

namespace Parley.Protocol.Stores;

/// <summary>
/// Kyber pre-keys in memory (held serialized). One-time keys are deleted when used; last-resort keys stay and
/// remember every (signed pre-key id, base key) that used them, refusing a repeat with
/// <see cref="ReusedBaseKeyException"/>. Thread-safe.
/// </summary>
public sealed class InMemoryKyberPreKeyStore : IKyberPreKeyStore
{
    private readonly Dictionary<uint, (byte[] Record, bool LastResort)> _keys = [];
    private readonly HashSet<(uint KyberId, uint SignedId, string BaseKey)> _used = [];
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public ValueTask<KyberPreKeyRecord?> LoadKyberPreKeyAsync(uint kyberPreKeyId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_keys.TryGetValue(kyberPreKeyId, out var entry) ? KyberPreKeyRecord.Deserialize(entry.Record) : null);
        }
    }

    /// <summary>Saves a one-time Kyber pre-key.</summary>
    public ValueTask StoreKyberPreKeyAsync(uint kyberPreKeyId, KyberPreKeyRecord record, CancellationToken cancellationToken) =>
        Store(kyberPreKeyId, record, lastResort: false);

    /// <summary>Saves a last-resort Kyber pre-key (kept after use).</summary>
    public ValueTask StoreLastResortKyberPreKeyAsync(uint kyberPreKeyId, KyberPreKeyRecord record, CancellationToken cancellationToken) =>
        Store(kyberPreKeyId, record, lastResort: true);

    /// <inheritdoc />
    public ValueTask MarkKyberPreKeyUsedAsync(uint kyberPreKeyId, uint signedPreKeyId, EcPublicKey baseKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseKey);
        lock (_gate)
        {
            if (!_keys.TryGetValue(kyberPreKeyId, out var entry))
            {
                throw new InvalidPreKeyIdException(PreKeyKind.Kyber, kyberPreKeyId);
            }

            if (!entry.LastResort)
            {
                _keys.Remove(kyberPreKeyId);
            }
            else if (!_used.Add((kyberPreKeyId, signedPreKeyId, Convert.ToBase64String(baseKey.PublicKeyBytes))))
            {
                throw new ReusedBaseKeyException();
            }
        }

        return ValueTask.CompletedTask;
    }

    internal IEnumerable<KeyValuePair<string, byte[]>> Snapshot()
    {
        lock (_gate)
        {
            var keys = _keys.OrderBy(p => p.Key)
                .Select(p => KeyValuePair.Create($"{p.Key}:{p.Value.LastResort}", (byte[])p.Value.Record.Clone()));
            var used = _used.Select(u => $"used:{u.KyberId}:{u.SignedId}:{u.BaseKey}").OrderBy(s => s, StringComparer.Ordinal)
                .Select(s => KeyValuePair.Create(s, Array.Empty<byte>()));
            return keys.Concat(used).ToList();
        }
    }

    private ValueTask Store(uint kyberPreKeyId, KyberPreKeyRecord record, bool lastResort)
    {
        ArgumentNullException.ThrowIfNull(record);
        var bytes = record.Serialize();
        lock (_gate)
        {
            _keys[kyberPreKeyId] = (bytes, lastResort);
        }

        return ValueTask.CompletedTask;
    }

    internal void CopyTo(InMemoryKyberPreKeyStore target)
    {
        lock (_gate)
        {
            foreach (var (id, entry) in _keys)
            {
                target._keys[id] = entry;
            }

            target._used.UnionWith(_used);
        }
    }
}
