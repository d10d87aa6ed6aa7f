namespace Parley.Contracts.Messages;

/// <summary>
/// Body of <c>POST /v1/messages/ack</c>: envelopes the device has safely stored. Unknown ids, ids already
/// acknowledged and ids of other devices' envelopes are ignored alike.
/// </summary>
/// <param name="Ids">Envelope ids, at most 1000 per request.</param>
public sealed record AcknowledgeRequest(IReadOnlyList<Guid> Ids);
