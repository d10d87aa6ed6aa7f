namespace Parley.Client;

/// <summary>
/// Something that happened on a client: a message arrived, a contact's identity changed, an outgoing message
/// reached the relay or failed, the connection changed, an envelope could not be decrypted.
/// </summary>
public abstract record ClientEvent
{
    /// <summary>When the client observed the event.</summary>
    public required DateTimeOffset At { get; init; }
}

/// <summary>A message from a contact, decrypted and stored. Each message is reported exactly once.</summary>
/// <param name="Id">The sender's message id (the id <see cref="SendResult.MessageId"/> gave the sender).</param>
/// <param name="From">The sender's username.</param>
/// <param name="FromDevice">The sender's device.</param>
/// <param name="Text">The text.</param>
/// <param name="SentAt">The sender's clock when it was written.</param>
/// <param name="ReceivedAt">When this client stored it.</param>
/// <param name="EnvelopeId">The relay's envelope id, or null in direct peer mode.</param>
public sealed record IncomingMessage(
    Guid Id, string From, int FromDevice, string Text, DateTimeOffset SentAt, DateTimeOffset ReceivedAt, Guid? EnvelopeId) : ClientEvent
{
    /// <summary>Ids, sender and times only; never the text.</summary>
    public override string ToString() => $"IncomingMessage {{ Id = {Id}, From = {From}.{FromDevice}, SentAt = {SentAt:O} }}";
}

/// <summary>
/// A contact's identity key changed. For a contact that was verified, sending stays refused
/// (<see cref="ParleyErrorCode.IdentityChanged"/>) until the new safety number is verified or the change is
/// explicitly accepted; for an unverified contact the new key is accepted and this is the warning.
/// </summary>
/// <param name="Contact">The contact's username.</param>
/// <param name="WasVerified">The contact had been verified before the change.</param>
/// <param name="SendingBlocked">Sending to the contact is refused until the user acts.</param>
/// <param name="SafetyNumber">The new safety number to compare.</param>
public sealed record IdentityChanged(string Contact, bool WasVerified, bool SendingBlocked, SafetyNumber SafetyNumber) : ClientEvent;

/// <summary>An outgoing message's progress: queued in the outbox, accepted by the relay, or given up.</summary>
/// <param name="MessageId">The message id.</param>
/// <param name="To">The recipient's username.</param>
/// <param name="State">The new state.</param>
/// <param name="Error">Why it failed, when <see cref="DeliveryState.Failed"/>.</param>
public sealed record DeliveryUpdate(Guid MessageId, string To, DeliveryState State, ParleyErrorCode? Error = null) : ClientEvent;

/// <summary>The receive loop's connection to the relay changed.</summary>
/// <param name="State">The new state.</param>
/// <param name="RetryIn">With <see cref="ConnectionState.Disconnected"/>: the delay before the next attempt.</param>
/// <param name="Reason">With <see cref="ConnectionState.Disconnected"/>: a one-line reason.</param>
public sealed record ConnectionChanged(ConnectionState State, TimeSpan? RetryIn = null, string? Reason = null) : ClientEvent;

/// <summary>
/// An envelope that could not be turned into a message (forged, corrupt, from a session we do not have, or
/// an unknown content format). It was acknowledged so it does not come back; no text is available.
/// </summary>
/// <param name="From">The sender's username as the relay reported it.</param>
/// <param name="FromDevice">The sender's device.</param>
/// <param name="EnvelopeId">The relay's envelope id, or null in direct peer mode.</param>
/// <param name="Reason">A one-line reason without secrets.</param>
public sealed record UndecryptableMessage(string From, int FromDevice, Guid? EnvelopeId, string Reason) : ClientEvent;

/// <summary>Where an outgoing message stands.</summary>
public enum DeliveryState
{
    /// <summary>In the outbox; it will be sent when the relay can be reached.</summary>
    Queued,

    /// <summary>The relay stored it for every recipient device.</summary>
    Sent,

    /// <summary>It cannot be delivered (no such user, rejected); it left the outbox.</summary>
    Failed,
}

/// <summary>The receive loop's connection state.</summary>
public enum ConnectionState
{
    /// <summary>Connecting (or reconnecting) to the relay.</summary>
    Connecting,

    /// <summary>Connected; waiting envelopes are being delivered.</summary>
    Connected,

    /// <summary>Every envelope that waited at connect time has been processed; new ones arrive live.</summary>
    Synced,

    /// <summary>The connection was lost or refused; see <see cref="ConnectionChanged.RetryIn"/>.</summary>
    Disconnected,
}
