using Parley.Protocol.Records;

namespace Parley.Protocol.Stores;

/// <summary>
/// Session records in memory, held serialized: every load returns a fresh copy, as a database would.
/// Thread-safe (one lock per instance).
/// </summary>
public sealed class InMemorySessionStore : ISessionStore
{
    private readonly Dictionary<ProtocolAddress, byte[]> _sessions = [];
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public ValueTask<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_gate)
        {
            return ValueTask.FromResult(_sessions.TryGetValue(address, out var bytes) ? SessionRecord.Deserialize(bytes) : null);
        }
    }

    /// <inheritdoc />
    public ValueTask StoreSessionAsync(ProtocolAddress address, SessionRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(record);
        var bytes = record.Serialize();
        lock (_gate)
        {
            _sessions[address] = bytes;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Deletes the record for <paramref name="address"/>, if any.</summary>
    public bool DeleteSession(ProtocolAddress address)
    {
        lock (_gate)
        {
            return _sessions.Remove(address);
        }
    }

    /// <summary>Every stored record's bytes, ordered by address (for state comparisons in tests).</summary>
    internal IEnumerable<KeyValuePair<string, byte[]>> Snapshot()
    {
        lock (_gate)
        {
            return _sessions.Select(p => KeyValuePair.Create(p.Key.ToString(), (byte[])p.Value.Clone())).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        }
    }

    internal void CopyTo(InMemorySessionStore target)
    {
        lock (_gate)
        {
            foreach (var (address, bytes) in _sessions)
            {
                target._sessions[address] = bytes;
            }
        }
    }
}
