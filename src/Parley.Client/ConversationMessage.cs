namespace Parley.Client;

/// <summary>One stored message of a conversation, incoming or outgoing.</summary>
/// <param name="Sequence">Local order of storage (ascending).</param>
/// <param name="Id">The message id (shared by sender and recipient).</param>
/// <param name="Peer">The other party's username.</param>
/// <param name="Direction">Incoming or outgoing.</param>
/// <param name="Text">The text.</param>
/// <param name="SentAt">The sender's clock when it was written.</param>
/// <param name="ReceivedAt">For incoming messages, when they were stored; null for outgoing ones.</param>
/// <param name="Delivery">For outgoing messages, their delivery state; null for incoming ones.</param>
public sealed record ConversationMessage(
    long Sequence,
    Guid Id,
    string Peer,
    MessageDirection Direction,
    string Text,
    DateTimeOffset SentAt,
    DateTimeOffset? ReceivedAt,
    DeliveryState? Delivery)
{
    /// <summary>Ids and times only; never the text.</summary>
    public override string ToString() => $"ConversationMessage {{ Sequence = {Sequence}, Id = {Id}, Peer = {Peer}, Direction = {Direction} }}";
}

/// <summary>Which way a message went.</summary>
public enum MessageDirection
{
    /// <summary>Received from the peer.</summary>
    Incoming = 1,

    /// <summary>Sent by us.</summary>
    Outgoing = 2,
}
