namespace Parley.Contracts.Messages;

/// <summary>An envelope waiting in (or delivered from) a device's mailbox.</summary>
/// <param name="Id">The relay's id; the same on every redelivery. Acknowledge it to remove the envelope.</param>
/// <param name="Type">What the content is.</param>
/// <param name="SourceUsername">The sender's username.</param>
/// <param name="SourceDeviceId">The sender's device.</param>
/// <param name="Timestamp">The sender's timestamp (ms since the Unix epoch), as sent.</param>
/// <param name="ServerTimestamp">When the relay stored it (ms since the Unix epoch).</param>
/// <param name="Content">The opaque ciphertext.</param>
public sealed record Envelope(
    Guid Id,
    EnvelopeType Type,
    string SourceUsername,
    int SourceDeviceId,
    long Timestamp,
    long ServerTimestamp,
    byte[] Content);
