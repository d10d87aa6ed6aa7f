namespace Parley.Contracts.Messages;

/// <summary>
/// Body of <c>PUT /v1/messages/{username}</c>: one envelope for every device of the recipient (when sending
/// to one's own account: every other device). Either all are stored or none.
/// </summary>
/// <param name="MessageId">
/// Chosen by the sender, fresh per logical message and reused on every retry: the relay stores an envelope
/// once per (sender device, message id, recipient device) and answers a retry with the first answer's ids.
/// </param>
/// <param name="Timestamp">The sender's clock, milliseconds since the Unix epoch; passed through.</param>
/// <param name="Envelopes">One per recipient device.</param>
public sealed record SendMessageRequest(Guid MessageId, long Timestamp, IReadOnlyList<OutgoingEnvelope> Envelopes);

/// <summary>One device's ciphertext.</summary>
/// <param name="DeviceId">The recipient device, 1..127.</param>
/// <param name="Type">What the content is.</param>
/// <param name="Content">Opaque ciphertext, at most the relay's envelope limit (256 KiB by default).</param>
public sealed record OutgoingEnvelope(int DeviceId, EnvelopeType Type, byte[] Content);
