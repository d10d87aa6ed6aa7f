namespace Parley.Contracts.Messages;

/// <summary>Answer of <c>PUT /v1/messages/{username}</c> (200), sent only after the envelopes are committed.</summary>
/// <param name="Envelopes">The relay's envelope id for each recipient device.</param>
public sealed record SendMessageResponse(IReadOnlyList<SentEnvelope> Envelopes);

/// <summary>Where one envelope went.</summary>
/// <param name="DeviceId">The recipient device.</param>
/// <param name="EnvelopeId">The envelope's id; stable across redeliveries and retries.</param>
public sealed record SentEnvelope(int DeviceId, Guid EnvelopeId);
