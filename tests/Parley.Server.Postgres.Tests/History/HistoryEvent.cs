namespace Parley.Server.Postgres.Tests.History;

/// <summary>What a simulated client observed.</summary>
internal enum EventKind
{
    /// <summary>The client decided to send message (sender, seq) to a peer, with a fresh message id.</summary>
    SendInvoked,

    /// <summary>One attempt to send (sender, seq) failed (refused connection, timeout, 5xx…); the client retries.</summary>
    SendFailed,

    /// <summary>A relay answered 200 for (sender, seq): the envelope id it committed.</summary>
    ServerAcked,

    /// <summary>An envelope arrived on the recipient's stream (every transport delivery, redeliveries included).</summary>
    Delivered,

    /// <summary>The recipient persisted an envelope it had not seen before and showed it to its person.</summary>
    Shown,

    /// <summary>The recipient acknowledged an envelope to the relay.</summary>
    ClientAcked,

    /// <summary>An envelope arrived whose content is not a message any client wrote.</summary>
    Unparseable,
}

/// <summary>
/// One line of the history. <see cref="Client"/> is the observer (the sender for send events, the recipient for
/// receive events); <see cref="Peer"/> the other side (for receive events, the sender the content names).
/// </summary>
internal readonly record struct HistoryEvent(
    long At,
    EventKind Kind,
    int Client,
    int Peer,
    long Seq,
    Guid MessageId,
    Guid EnvelopeId,
    string? Node = null)
{
    public static HistoryEvent Invoked(long at, int sender, int recipient, long seq, Guid messageId) =>
        new(at, EventKind.SendInvoked, sender, recipient, seq, messageId, Guid.Empty);

    public static HistoryEvent Failed(long at, int sender, long seq, string node) =>
        new(at, EventKind.SendFailed, sender, -1, seq, Guid.Empty, Guid.Empty, node);

    public static HistoryEvent Acked(long at, int sender, long seq, Guid envelopeId, string node) =>
        new(at, EventKind.ServerAcked, sender, -1, seq, Guid.Empty, envelopeId, node);

    public static HistoryEvent Delivered(long at, int recipient, int sender, long seq, Guid envelopeId, string node) =>
        new(at, EventKind.Delivered, recipient, sender, seq, Guid.Empty, envelopeId, node);

    public static HistoryEvent Shown(long at, int recipient, int sender, long seq, Guid envelopeId) =>
        new(at, EventKind.Shown, recipient, sender, seq, Guid.Empty, envelopeId);

    public static HistoryEvent ClientAcked(long at, int recipient, Guid envelopeId) =>
        new(at, EventKind.ClientAcked, recipient, -1, 0, Guid.Empty, envelopeId);

    public static HistoryEvent Garbage(long at, int recipient, Guid envelopeId, string node) =>
        new(at, EventKind.Unparseable, recipient, -1, 0, Guid.Empty, envelopeId, node);
}
