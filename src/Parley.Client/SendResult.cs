namespace Parley.Client;

/// <summary>The outcome of <see cref="ParleyClient.SendTextAsync"/>.</summary>
/// <param name="MessageId">
/// The message id: the recipient sees the same id (<see cref="IncomingMessage.Id"/>); retries reuse it, so the
/// relay stores the message once.
/// </param>
/// <param name="To">The recipient's username.</param>
/// <param name="State"><see cref="DeliveryState.Sent"/>, or <see cref="DeliveryState.Queued"/> when the relay could not be reached (the outbox sends it later).</param>
/// <param name="Devices">Per recipient device, the relay's envelope id (empty while queued).</param>
public sealed record SendResult(Guid MessageId, string To, DeliveryState State, IReadOnlyList<DeviceDelivery> Devices)
{
    /// <summary>
    /// Set when the recipient's identity key changed and, the contact being unverified, the new key was
    /// accepted to send this message: show it as a warning.
    /// </summary>
    public IdentityChanged? IdentityWarning { get; init; }
}

/// <summary>Where one copy of a message went.</summary>
/// <param name="DeviceId">The recipient device.</param>
/// <param name="EnvelopeId">The relay's envelope id for that device.</param>
public sealed record DeviceDelivery(int DeviceId, Guid EnvelopeId);

/// <summary>The outcome of <see cref="ParleyClient.FlushOutboxAsync"/>.</summary>
/// <param name="Sent">Messages the relay accepted in this flush.</param>
/// <param name="Failed">Messages given up for good (they left the outbox).</param>
/// <param name="Remaining">Messages still queued (the relay was unreachable or asked us to wait).</param>
public sealed record OutboxFlushResult(int Sent, int Failed, int Remaining);
