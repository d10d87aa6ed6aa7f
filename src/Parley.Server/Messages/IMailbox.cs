using Parley.Contracts.Messages;

namespace Parley.Server.Messages;

/// <summary>
/// Durable per-device mailboxes. Every method that answers success has committed first.
/// Positions order a device's envelopes by commit; an envelope's id never changes.
/// </summary>
internal interface IMailbox
{
    /// <summary>
    /// Checks the recipient's device list and quotas and stores one envelope per device, all or nothing.
    /// An envelope whose (sender device, message id, recipient device) was stored before is not stored again;
    /// its first id is returned.
    /// </summary>
    Task<MailboxWriteOutcome> StoreAsync(MailboxWrite write, CancellationToken cancellationToken);

    /// <summary>Unexpired envelopes of the device after <paramref name="afterPosition"/>, oldest first.</summary>
    Task<IReadOnlyList<MailboxEntry>> ReadAsync(DeviceAddress device, long afterPosition, int limit, long nowMs, CancellationToken cancellationToken);

    /// <summary>Removes the device's envelopes with these ids; ids of other devices are ignored.</summary>
    /// <returns>How many envelopes were removed.</returns>
    Task<int> AcknowledgeAsync(DeviceAddress device, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken);

    /// <summary>Removes expired envelopes and expired idempotency records.</summary>
    /// <returns>How many envelopes were removed.</returns>
    Task<int> RemoveExpiredAsync(long nowMs, CancellationToken cancellationToken);
}

/// <summary>One send request, validated.</summary>
internal sealed record MailboxWrite(
    DeviceAddress Sender,
    string SenderUsername,
    long RecipientAccountId,
    Guid MessageId,
    long ClientTimestamp,
    IReadOnlyList<OutgoingEnvelope> Envelopes,
    long StoredAt,
    long ExpiresAt,
    int MailboxMaxEnvelopes,
    long MailboxMaxBytes);

/// <summary>An envelope in a mailbox and its position there.</summary>
internal sealed record MailboxEntry(long Position, Envelope Envelope);

/// <summary>How a store attempt ended.</summary>
internal abstract record MailboxWriteOutcome
{
    private MailboxWriteOutcome()
    {
    }

    /// <summary>Committed (or found committed before, per envelope).</summary>
    public sealed record Stored(IReadOnlyList<StoredEnvelope> Envelopes) : MailboxWriteOutcome;

    /// <summary>The request's devices differ from the recipient's; nothing stored.</summary>
    public sealed record DeviceMismatch(IReadOnlyList<int> Missing, IReadOnlyList<int> Extra) : MailboxWriteOutcome;

    /// <summary>A recipient mailbox is over its quota; nothing stored.</summary>
    public sealed record MailboxFull(int DeviceId) : MailboxWriteOutcome;

    /// <summary>The recipient account is gone.</summary>
    public sealed record RecipientNotFound : MailboxWriteOutcome;
}

/// <summary>One envelope of a committed send.</summary>
/// <param name="DeviceId">The recipient device.</param>
/// <param name="EnvelopeId">Its id.</param>
/// <param name="IsNew">False when a retry found it stored already.</param>
internal sealed record StoredEnvelope(int DeviceId, Guid EnvelopeId, bool IsNew);
