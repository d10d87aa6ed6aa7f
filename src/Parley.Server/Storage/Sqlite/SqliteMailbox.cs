using Parley.Contracts.Messages;
using Parley.Server.Messages;

namespace Parley.Server.Storage.Sqlite;

/// <summary>
/// Per-device mailboxes in SQLite. A device's running count and byte total live on its <c>devices</c> row,
/// so the quota check costs one read inside the writer transaction.
/// </summary>
internal sealed class SqliteMailbox(SqliteDatabase database) : IMailbox
{
    public Task<MailboxWriteOutcome> StoreAsync(MailboxWrite write, CancellationToken cancellationToken) =>
        database.WriteAsync<MailboxWriteOutcome>(
            async work =>
            {
                var devices = await DevicesAsync(work, write.RecipientAccountId).ConfigureAwait(false);
                if (devices.Count == 0)
                {
                    return new MailboxWriteOutcome.RecipientNotFound();
                }

                var expected = devices.Keys.Where(d => write.Sender != new DeviceAddress(write.RecipientAccountId, d)).ToHashSet();
                var given = write.Envelopes.Select(e => e.DeviceId).ToHashSet();
                if (!expected.SetEquals(given))
                {
                    return new MailboxWriteOutcome.DeviceMismatch(
                        [.. expected.Except(given).Order()],
                        [.. given.Except(expected).Order()]);
                }

                var results = new List<StoredEnvelope>(write.Envelopes.Count);
                var fresh = new List<(OutgoingEnvelope Envelope, Guid Id)>();
                foreach (var envelope in write.Envelopes)
                {
                    var known = await ReceiptAsync(work, write, envelope.DeviceId).ConfigureAwait(false);
                    if (known is { } id)
                    {
                        results.Add(new StoredEnvelope(envelope.DeviceId, id, IsNew: false));
                        continue;
                    }

                    var (count, bytes) = devices[envelope.DeviceId];
                    if (count + 1 > write.MailboxMaxEnvelopes || bytes + envelope.Content.Length > write.MailboxMaxBytes)
                    {
                        work.Abort();
                        return new MailboxWriteOutcome.MailboxFull(envelope.DeviceId);
                    }

                    var envelopeId = Guid.CreateVersion7();
                    fresh.Add((envelope, envelopeId));
                    results.Add(new StoredEnvelope(envelope.DeviceId, envelopeId, IsNew: true));
                }

                foreach (var (envelope, id) in fresh)
                {
                    await InsertAsync(work, write, envelope, id).ConfigureAwait(false);
                }

                return new MailboxWriteOutcome.Stored(results);
            },
            cancellationToken);

    public Task<IReadOnlyList<MailboxEntry>> ReadAsync(DeviceAddress device, long afterPosition, int limit, long nowMs, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<MailboxEntry>>(
            async work =>
            {
                var command = work.Command(
                    """
                    SELECT position, id, type, source_username, source_device_id, client_timestamp, server_timestamp, content
                    FROM envelopes
                    WHERE account_id = $a AND device_id = $d AND position > $p AND expires_at > $now
                    ORDER BY position
                    LIMIT $n
                    """,
                    ("$a", device.AccountId),
                    ("$d", device.DeviceId),
                    ("$p", afterPosition),
                    ("$now", nowMs),
                    ("$n", limit));
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var entries = new List<MailboxEntry>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    entries.Add(new MailboxEntry(
                        reader.GetInt64(0),
                        new Envelope(
                            reader.GetGuid(1),
                            (EnvelopeType)reader.GetInt32(2),
                            reader.GetString(3),
                            reader.GetInt32(4),
                            reader.GetInt64(5),
                            reader.GetInt64(6),
                            (byte[])reader.GetValue(7))));
                }

                return entries;
            },
            cancellationToken);

    public Task<int> AcknowledgeAsync(DeviceAddress device, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async work =>
            {
                var removed = 0;
                long bytes = 0;
                foreach (var id in ids.Distinct())
                {
                    var command = work.Command(
                        "DELETE FROM envelopes WHERE id = $id AND account_id = $a AND device_id = $d RETURNING length(content)",
                        ("$id", id),
                        ("$a", device.AccountId),
                        ("$d", device.DeviceId));
                    var length = await command.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false);
                    if (length is long size)
                    {
                        removed++;
                        bytes += size;
                    }
                }

                if (removed > 0)
                {
                    await work.ExecuteAsync(
                        "UPDATE devices SET mailbox_count = mailbox_count - $n, mailbox_bytes = mailbox_bytes - $b WHERE account_id = $a AND device_id = $d",
                        ("$n", removed),
                        ("$b", bytes),
                        ("$a", device.AccountId),
                        ("$d", device.DeviceId)).ConfigureAwait(false);
                }

                return removed;
            },
            cancellationToken);

    public Task<int> RemoveExpiredAsync(long nowMs, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async work =>
            {
                var perDevice = new Dictionary<DeviceAddress, (long Count, long Bytes)>();
                var command = work.Command(
                    "DELETE FROM envelopes WHERE expires_at <= $now RETURNING account_id, device_id, length(content)", ("$now", nowMs));
                {
                    using var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
                    while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
                    {
                        var device = new DeviceAddress(reader.GetInt64(0), reader.GetInt32(1));
                        var (count, bytes) = perDevice.GetValueOrDefault(device);
                        perDevice[device] = (count + 1, bytes + reader.GetInt64(2));
                    }
                }

                foreach (var (device, (count, bytes)) in perDevice)
                {
                    await work.ExecuteAsync(
                        "UPDATE devices SET mailbox_count = mailbox_count - $n, mailbox_bytes = mailbox_bytes - $b WHERE account_id = $a AND device_id = $d",
                        ("$n", count),
                        ("$b", bytes),
                        ("$a", device.AccountId),
                        ("$d", device.DeviceId)).ConfigureAwait(false);
                }

                await work.ExecuteAsync("DELETE FROM send_receipts WHERE expires_at <= $now", ("$now", nowMs)).ConfigureAwait(false);
                return checked((int)perDevice.Values.Sum(v => v.Count));
            },
            cancellationToken);

    private static async Task<Dictionary<int, (long Count, long Bytes)>> DevicesAsync(SqliteWork work, long accountId)
    {
        var command = work.Command(
            "SELECT device_id, mailbox_count, mailbox_bytes FROM devices WHERE account_id = $a", ("$a", accountId));
        using var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
        var devices = new Dictionary<int, (long, long)>();
        while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            devices[reader.GetInt32(0)] = (reader.GetInt64(1), reader.GetInt64(2));
        }

        return devices;
    }

    private static async Task<Guid?> ReceiptAsync(SqliteWork work, MailboxWrite write, int recipientDeviceId)
    {
        var command = work.Command(
            """
            SELECT envelope_id FROM send_receipts
            WHERE sender_account_id = $sa AND sender_device_id = $sd AND message_id = $m
              AND recipient_account_id = $ra AND recipient_device_id = $rd
            """,
            ("$sa", write.Sender.AccountId),
            ("$sd", write.Sender.DeviceId),
            ("$m", write.MessageId),
            ("$ra", write.RecipientAccountId),
            ("$rd", recipientDeviceId));
        using var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
        return await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false) ? reader.GetGuid(0) : null;
    }

    private static async Task InsertAsync(SqliteWork work, MailboxWrite write, OutgoingEnvelope envelope, Guid id)
    {
        await work.ExecuteAsync(
            """
            INSERT INTO envelopes (id, account_id, device_id, type, source_username, source_device_id,
                                   client_timestamp, server_timestamp, expires_at, content)
            VALUES ($id, $a, $d, $type, $su, $sd, $ct, $st, $exp, $content)
            """,
            ("$id", id),
            ("$a", write.RecipientAccountId),
            ("$d", envelope.DeviceId),
            ("$type", (int)envelope.Type),
            ("$su", write.SenderUsername),
            ("$sd", write.Sender.DeviceId),
            ("$ct", write.ClientTimestamp),
            ("$st", write.StoredAt),
            ("$exp", write.ExpiresAt),
            ("$content", envelope.Content)).ConfigureAwait(false);
        await work.ExecuteAsync(
            """
            INSERT INTO send_receipts (sender_account_id, sender_device_id, message_id, recipient_account_id, recipient_device_id, envelope_id, expires_at)
            VALUES ($sa, $sd, $m, $ra, $rd, $id, $exp)
            """,
            ("$sa", write.Sender.AccountId),
            ("$sd", write.Sender.DeviceId),
            ("$m", write.MessageId),
            ("$ra", write.RecipientAccountId),
            ("$rd", envelope.DeviceId),
            ("$id", id),
            ("$exp", write.ExpiresAt)).ConfigureAwait(false);
        await work.ExecuteAsync(
            "UPDATE devices SET mailbox_count = mailbox_count + 1, mailbox_bytes = mailbox_bytes + $b WHERE account_id = $a AND device_id = $d",
            ("$b", envelope.Content.Length),
            ("$a", write.RecipientAccountId),
            ("$d", envelope.DeviceId)).ConfigureAwait(false);
    }
}
