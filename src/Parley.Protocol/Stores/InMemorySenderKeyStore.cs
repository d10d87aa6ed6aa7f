using Parley.Protocol.Records;

namespace Parley.Protocol.Stores;

/// <summary>Sender-key records in memory (held serialized). Thread-safe.</summary>
public sealed class InMemorySenderKeyStore : ISenderKeyStore
{
    private readonly Dictionary<(ProtocolAddress Sender, Guid DistributionId), byte[]> _records = [];
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public ValueTask StoreSenderKeyAsync(ProtocolAddress sender, Guid distributionId, SenderKeyRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(record);
        var bytes = record.Serialize();
        lock (_gate)
        {
            _records[(sender, distributionId)] = bytes;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<SenderKeyRecord?> LoadSenderKeyAsync(ProtocolAddress sender, Guid distributionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        lock (_gate)
        {
            return ValueTask.FromResult(_records.TryGetValue((sender, distributionId), out var bytes) ? SenderKeyRecord.Deserialize(bytes) : null);
        }
    }

    internal IEnumerable<KeyValuePair<string, byte[]>> Snapshot()
    {
        lock (_gate)
        {
            return _records.Select(p => KeyValuePair.Create($"{p.Key.Sender}/{p.Key.DistributionId}", (byte[])p.Value.Clone()))
                .OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        }
    }

    internal void CopyTo(InMemorySenderKeyStore target)
    {
        lock (_gate)
        {
            foreach (var (key, bytes) in _records)
            {
                target._records[key] = bytes;
            }
        }
    }
}
