using Parley.Protocol.Records;

namespace Parley.Protocol.Stores;

/// <summary>Sender-key records per (sender device, distribution id).</summary>
public interface ISenderKeyStore
{
    /// <summary>Saves the record.</summary>
    ValueTask StoreSenderKeyAsync(ProtocolAddress sender, Guid distributionId, SenderKeyRecord record, CancellationToken cancellationToken);

    /// <summary>The record, or null when there is none.</summary>
    ValueTask<SenderKeyRecord?> LoadSenderKeyAsync(ProtocolAddress sender, Guid distributionId, CancellationToken cancellationToken);
}
