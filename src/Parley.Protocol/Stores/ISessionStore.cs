using Parley.Protocol.Records;

namespace Parley.Protocol.Stores;

/// <summary>Session records per peer device.</summary>
/// <remarks>
/// Operations on one address must be serialized by the caller (for example a lock per address); the protocol keeps
/// no locks of its own. Records are secrets at rest.
/// </remarks>
public interface ISessionStore
{
    /// <summary>The record for <paramref name="address"/>, or null when there is none.</summary>
    ValueTask<SessionRecord?> LoadSessionAsync(ProtocolAddress address, CancellationToken cancellationToken);

    /// <summary>Saves the record for <paramref name="address"/>.</summary>
    ValueTask StoreSessionAsync(ProtocolAddress address, SessionRecord record, CancellationToken cancellationToken);
}
