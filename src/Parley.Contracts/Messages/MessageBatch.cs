namespace Parley.Contracts.Messages;

/// <summary>Answer of <c>GET /v1/messages</c>: the oldest pending envelopes, in the order they were stored.</summary>
/// <param name="Envelopes">At most the requested (or the relay's) batch size.</param>
/// <param name="More">True when more envelopes wait after these.</param>
public sealed record MessageBatch(IReadOnlyList<Envelope> Envelopes, bool More);
