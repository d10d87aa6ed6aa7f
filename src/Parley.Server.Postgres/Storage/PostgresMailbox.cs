using Npgsql;
using Parley.Contracts.Messages;
using Parley.Server.Messages;
using Parley.Server.Postgres.Realtime;

namespace Parley.Server.Postgres.Storage;

/// <summary>
/// Per-device mailboxes in PostgreSQL. A send locks the recipient's device rows (in device order, so sends
/// never deadlock each other), checks idempotency receipts and quotas under that lock, hands out each new
/// envelope's position from its device row, inserts, and queues a <c>NOTIFY</c> per woken device in the same
/// transaction, so a wake-up goes out if and only if the envelopes committed. The endpoint answers the sender
/// only after <see cref="StoreAsync"/> returned, that is after the commit.
/// </summary>
internal sealed class PostgresMailbox(PostgresDatabase database) : IMailbox
{
    // Any constant will do; only one node sweeps at a time.
    private const long SweepLockKey = 0x5061_726C_6579_5331; // "ParleyS1"

    public Task<MailboxWriteOutcome> StoreAsync(MailboxWrite write, CancellationToken cancellationToken) =>
        database.WriteAsync<MailboxWriteOutcome>(
            async work =>
            {
                var (devices, receipts) = await LockDevicesAsync(work, write).ConfigureAwait(false);
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
                    if (receipts.TryGetValue(envelope.DeviceId, out var known))
                    {
                        results.Add(new StoredEnvelope(envelope.DeviceId, known, IsNew: false));
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

                if (fresh.Count > 0)
                {
                    await InsertAsync(work, write, fresh).ConfigureAwait(false);
                }

                return new MailboxWriteOutcome.Stored(results);
            },
            cancellationToken);

    public Task<IReadOnlyList<MailboxEntry>> ReadAsync(DeviceAddress device, long afterPosition, int limit, long nowMs, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<MailboxEntry>>(
            async work =>
            {
                await using var command = work.Command(
                    """
                    SELECT position, id, type, source_username, source_device_id, client_timestamp, server_timestamp, content
                    FROM envelopes
                    WHERE account_id = @a AND device_id = @d AND position > @p AND expires_at > @now
                    ORDER BY position
                    LIMIT @n
                    """,
                    ("a", device.AccountId),
                    ("d", device.DeviceId),
                    ("p", afterPosition),
                    ("now", nowMs),
                    ("n", limit));
                await using var reader = await command.ExecuteReaderAsync(work.CancellationToken).ConfigureAwait(false);
                var entries = new List<MailboxEntry>();
                while (await reader.ReadAsync(work.CancellationToken).ConfigureAwait(false))
                {
                    entries.Add(new MailboxEntry(
                        reader.GetInt64(0),
                        new Envelope(
                            reader.GetGuid(1),
                            (EnvelopeType)reader.GetInt16(2),
                            reader.GetString(3),
                            reader.GetInt32(4),
                            reader.GetInt64(5),
                            reader.GetInt64(6),
                            (byte[])reader.GetValue(7))));
                }

                return entries;
            },
            cancellationToken);

    public Task<int> AcknowledgeAsync(DeviceAddress device, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return Task.FromResult(0);
        }

        var distinct = ids.Distinct().ToArray();

        // One statement: the envelopes leave and the device's totals shrink together. Idempotent (an id already
        // gone is not counted again), so it may be retried whatever the failure; the count is informational.
        return database.ExecuteIdempotentAsync(
            async work =>
            {
                var removed = await work.ScalarAsync(
                    """
                    WITH gone AS (
                        DELETE FROM envelopes WHERE account_id = @a AND device_id = @d AND id = ANY(@ids)
                        RETURNING octet_length(content) AS size),
                    totals AS (SELECT count(*) AS n, coalesce(sum(size), 0) AS b FROM gone)
                    UPDATE devices SET mailbox_count = mailbox_count - totals.n, mailbox_bytes = mailbox_bytes - totals.b
                    FROM totals
                    WHERE account_id = @a AND device_id = @d AND totals.n > 0
                    RETURNING totals.n
                    """,
                    ("a", device.AccountId),
                    ("d", device.DeviceId),
                    ("ids", distinct)).ConfigureAwait(false);
                return checked((int)removed);
            },
            cancellationToken);
    }

    public Task<int> RemoveExpiredAsync(long nowMs, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async work =>
            {
                // Every node runs the sweeper; one sweep at a time is enough, the others skip this round.
                await using (var tryLock = work.Command("SELECT pg_try_advisory_xact_lock(@k)", ("k", SweepLockKey)))
                {
                    if (await tryLock.ExecuteScalarAsync(work.CancellationToken).ConfigureAwait(false) is not true)
                    {
                        return 0;
                    }
                }

                long removed = 0;
                await using (var command = work.Command(
                    """
                    WITH gone AS (
                        DELETE FROM envelopes WHERE expires_at <= @now
                        RETURNING account_id, device_id, octet_length(content) AS size),
                    totals AS (SELECT account_id, device_id, count(*) AS n, sum(size) AS b FROM gone GROUP BY account_id, device_id)
                    UPDATE devices d SET mailbox_count = d.mailbox_count - t.n, mailbox_bytes = d.mailbox_bytes - t.b
                    FROM totals t
                    WHERE d.account_id = t.account_id AND d.device_id = t.device_id
                    RETURNING t.n
                    """,
                    ("now", nowMs)))
                {
                    await using var reader = await command.ExecuteReaderAsync(work.CancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(work.CancellationToken).ConfigureAwait(false))
                    {
                        removed += reader.GetInt64(0);
                    }
                }

                await work.ExecuteAsync("DELETE FROM send_receipts WHERE expires_at <= @now", ("now", nowMs)).ConfigureAwait(false);
                return checked((int)removed);
            },
            cancellationToken);

    /// <summary>
    /// Locks the recipient's device rows and reads the receipts of this message, in one round trip. The
    /// receipts are read by a second statement so that, under READ COMMITTED, it sees a concurrent retry's
    /// receipt that committed while this transaction waited for the lock.
    /// </summary>
    private static async Task<(Dictionary<int, (long Count, long Bytes)> Devices, Dictionary<int, Guid> Receipts)> LockDevicesAsync(
        PostgresWork work, MailboxWrite write)
    {
        await using var batch = work.Batch();
        batch.BatchCommands.Add(Statement(
            "SELECT device_id, mailbox_count, mailbox_bytes FROM devices WHERE account_id = @r ORDER BY device_id FOR UPDATE",
            ("r", write.RecipientAccountId)));
        batch.BatchCommands.Add(Statement(
            """
            SELECT recipient_device_id, envelope_id FROM send_receipts
            WHERE sender_account_id = @sa AND sender_device_id = @sd AND message_id = @m AND recipient_account_id = @r
            """,
            ("sa", write.Sender.AccountId),
            ("sd", write.Sender.DeviceId),
            ("m", write.MessageId),
            ("r", write.RecipientAccountId)));
        await using var reader = await batch.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
        var devices = new Dictionary<int, (long, long)>();
        while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            devices[reader.GetInt32(0)] = (reader.GetInt64(1), reader.GetInt64(2));
        }

        await reader.NextResultAsync(CancellationToken.None).ConfigureAwait(false);
        var receipts = new Dictionary<int, Guid>();
        while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            receipts[reader.GetInt32(0)] = reader.GetGuid(1);
        }

        return (devices, receipts);
    }

    /// <summary>Inserts the new envelopes with their positions and receipts, and queues the wake-ups: one round trip.</summary>
    private static async Task InsertAsync(PostgresWork work, MailboxWrite write, List<(OutgoingEnvelope Envelope, Guid Id)> fresh)
    {
        await using var batch = work.Batch();
        foreach (var (envelope, id) in fresh)
        {
            batch.BatchCommands.Add(Statement(
                """
                WITH next AS (
                    UPDATE devices SET last_position = last_position + 1,
                                       mailbox_count = mailbox_count + 1,
                                       mailbox_bytes = mailbox_bytes + @size
                    WHERE account_id = @a AND device_id = @d
                    RETURNING last_position)
                INSERT INTO envelopes (account_id, device_id, position, id, type, source_username, source_device_id,
                                       client_timestamp, server_timestamp, expires_at, content)
                SELECT @a, @d, last_position, @id, @type, @su, @sd, @ct, @st, @exp, @content FROM next
                """,
                ("size", (long)envelope.Content.Length),
                ("a", write.RecipientAccountId),
                ("d", envelope.DeviceId),
                ("id", id),
                ("type", (short)envelope.Type),
                ("su", write.SenderUsername),
                ("sd", write.Sender.DeviceId),
                ("ct", write.ClientTimestamp),
                ("st", write.StoredAt),
                ("exp", write.ExpiresAt),
                ("content", envelope.Content)));
            batch.BatchCommands.Add(Statement(
                """
                INSERT INTO send_receipts (sender_account_id, sender_device_id, message_id, recipient_account_id, recipient_device_id, envelope_id, expires_at)
                VALUES (@sa, @sd, @m, @ra, @rd, @id, @exp)
                """,
                ("sa", write.Sender.AccountId),
                ("sd", write.Sender.DeviceId),
                ("m", write.MessageId),
                ("ra", write.RecipientAccountId),
                ("rd", envelope.DeviceId),
                ("id", id),
                ("exp", write.ExpiresAt)));

            // Delivered by PostgreSQL to every listening node only if this transaction commits.
            batch.BatchCommands.Add(Statement(
                "SELECT pg_notify(@channel, @device)",
                ("channel", WakeUpChannel.Name),
                ("device", WakeUpChannel.Payload(new DeviceAddress(write.RecipientAccountId, envelope.DeviceId)))));
        }

        await batch.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static NpgsqlBatchCommand Statement(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
