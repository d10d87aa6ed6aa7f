using System.Collections.Concurrent;
using Parley.Contracts.Messages;
using Parley.Server.Messages;

namespace Parley.Server.Postgres.Tests.Contract;

/// <summary>What every <c>IMailbox</c> must do: all-or-nothing sends, idempotent retries, quotas, acknowledgement, expiry, commit order.</summary>
public abstract class MailboxContract : StoreContract
{
    private const long Now = 1_800_000_000_000;

    [PgFact]
    public async Task Stored_envelopes_are_read_back_in_send_order_with_increasing_positions()
    {
        var (sender, recipient) = (await Stores.NewAccountAsync(), await Stores.NewAccountAsync());
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(StoredId(await Stores.Mailbox.StoreAsync(Write(sender, recipient, Guid.NewGuid(), [1], content: [(byte)i]), CancellationToken.None)));
        }

        var entries = await Stores.Mailbox.ReadAsync(new DeviceAddress(recipient, 1), 0, 100, Now, CancellationToken.None);

        Assert.Equal(ids, entries.Select(e => e.Envelope.Id));
        Assert.Equal(entries.Select(e => e.Position).Order(), entries.Select(e => e.Position));
        Assert.Equal(entries.Count, entries.Select(e => e.Position).Distinct().Count());
        Assert.Equal([0, 1, 2, 3, 4], entries.Select(e => (int)e.Envelope.Content[0]));
        var first = entries[0].Envelope;
        Assert.Equal(EnvelopeType.Whisper, first.Type);
        Assert.Equal(1, first.SourceDeviceId);
        Assert.Equal(42, first.Timestamp);
        Assert.Equal(Now, first.ServerTimestamp);

        var after = await Stores.Mailbox.ReadAsync(new DeviceAddress(recipient, 1), entries[2].Position, 100, Now, CancellationToken.None);
        Assert.Equal(ids[3..], after.Select(e => e.Envelope.Id));
    }

    [PgFact]
    public async Task A_retry_with_the_same_message_id_answers_the_first_ids_and_stores_nothing_new()
    {
        var (sender, recipient) = (await Stores.NewAccountAsync(), await Stores.NewAccountAsync());
        var messageId = Guid.NewGuid();

        var first = Assert.IsType<MailboxWriteOutcome.Stored>(await Stores.Mailbox.StoreAsync(Write(sender, recipient, messageId, [1]), CancellationToken.None));
        var retry = Assert.IsType<MailboxWriteOutcome.Stored>(await Stores.Mailbox.StoreAsync(Write(sender, recipient, messageId, [1]), CancellationToken.None));

        Assert.True(first.Envelopes.Single().IsNew);
        Assert.False(retry.Envelopes.Single().IsNew);
        Assert.Equal(first.Envelopes.Single().EnvelopeId, retry.Envelopes.Single().EnvelopeId);
        Assert.Single(await Stores.Mailbox.ReadAsync(new DeviceAddress(recipient, 1), 0, 100, Now, CancellationToken.None));
    }

    [PgFact]
    public async Task Concurrent_retries_of_one_message_store_it_once_and_all_get_its_id()
    {
        var (sender, recipient) = (await Stores.NewAccountAsync(), await Stores.NewAccountAsync());
        var messageId = Guid.NewGuid();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => Stores.Mailbox.StoreAsync(Write(sender, recipient, messageId, [1]), CancellationToken.None))));

        var ids = outcomes.Select(StoredId).Distinct().ToList();
        Assert.Single(ids);
        Assert.Single(outcomes, o => ((MailboxWriteOutcome.Stored)o).Envelopes.Single().IsNew);
        Assert.Equal(ids, (await Stores.Mailbox.ReadAsync(new DeviceAddress(recipient, 1), 0, 100, Now, CancellationToken.None)).Select(e => e.Envelope.Id));
    }

    [PgFact]
    public async Task A_device_mismatch_names_the_missing_and_extra_devices_and_stores_nothing()
    {
        var (sender, recipient) = (await Stores.NewAccountAsync(), await Stores.NewAccountAsync());
        await Stores.AddDeviceAsync(recipient, 2);
        await Stores.AddDeviceAsync(recipient, 3);

        var outcome = await Stores.Mailbox.StoreAsync(Write(sender, recipient, Guid.NewGuid(), [1, 2, 9]), CancellationToken.None);

        var mismatch = Assert.IsType<MailboxWriteOutcome.DeviceMismatch>(outcome);
        Assert.Equal([3], mismatch.Missing);
        Assert.Equal([9], mismatch.Extra);
        foreach (var device in new[] { 1, 2, 3 })
        {
            Assert.Empty(await Stores.Mailbox.ReadAsync(new DeviceAddress(recipient, device), 0, 100, Now, CancellationToken.None));
        }
    }

    [PgFact]
    public async Task Sending_to_ones_own_account_expects_every_other_device()
    {
        var me = await Stores.NewAccountAsync();
        await Stores.AddDeviceAsync(me, 2);

        Assert.IsType<MailboxWriteOutcome.DeviceMismatch>(await Stores.Mailbox.StoreAsync(Write(me, me, Guid.NewGuid(), [1, 2]), CancellationToken.None));
        Assert.IsType<MailboxWriteOutcome.Stored>(await Stores.Mailbox.StoreAsync(Write(me, me, Guid.NewGuid(), [2]), CancellationToken.None));
        Assert.Single(await Stores.Mailbox.ReadAsync(new DeviceAddress(me, 2), 0, 100, Now, CancellationToken.None));
    }

    [PgFact]
    public async Task An_unknown_recipient_is_reported()
    {
        var sender = await Stores.NewAccountAsync();

        Assert.IsType<MailboxWriteOutcome.RecipientNotFound>(await Stores.Mailbox.StoreAsync(Write(sender, 987_654_321, Guid.NewGuid(), [1]), CancellationToken.None));
    }

    [PgFact]
    public async Task A_full_mailbox_rejects_the_whole_send_and_acknowledging_frees_room()
    {
        var (sender, recipient) = (await Stores.NewAccountAsync(), await Stores.NewAccountAsync());
        await Stores.AddDeviceAsync(recipient, 2);
        Guid lastOnDevice2 = default;
        for (var i = 0; i < 3; i++)
        {
            var stored = Assert.IsType<MailboxWriteOutcome.Stored>(await Stores.Mailbox.StoreAsync(Write(sender, recipient, Guid.NewGuid(), [1, 2], maxEnvelopes: 4), CancellationToken.None));
            lastOnDevice2 = stored.Envelopes.Single(e => e.DeviceId == 2).EnvelopeId;
        }

        var other = await Stores.NewAccountAsync();
        Assert.IsType<MailboxWriteOutcome.Stored>(await Stores.Mailbox.StoreAsync(Write(other, recipient, Guid.NewGuid(), [1, 2], maxEnvelopes: 4), CancellationToken.None));

        // Both devices hold 4 of 4: the next send is refused as a whole.
        var full = await Stores.Mailbox.StoreAsync(Write(sender, recipient, Guid.NewGuid(), [1, 2], maxEnvelopes: 4), CancellationToken.None);
        Assert.IsType<MailboxWriteOutcome.MailboxFull>(full);
        Assert.Equal(4, (await Stores.Mailbox.ReadAsync(new DeviceAddress(recipient, 1), 0, 100, Now, CancellationToken.None)).Count);

        // Byte quota: 4 envelopes of 10 bytes under a 45-byte cap on a fresh recipient.
        var small = await Stores.NewAccountAsync();
        for (var i = 0; i < 4; i++)
        {
            Assert.IsType<MailboxWriteOutcome.Stored>(await Stores.Mailbox.StoreAsync(Write(sender, small, Guid.NewGuid(), [1], content: new byte[10], maxBytes: 45), CancellationToken.None));
        }

        Assert.IsType<MailboxWriteOutcome.MailboxFull>(await Stores.Mailbox.StoreAsync(Write(sender, small, Guid.NewGuid(), [1], content: new byte[10], maxBytes: 45), CancellationToken.None));

        // Acknowledging on device 2 only frees device 2: device 1 is still full.
        Assert.Equal(1, await Stores.Mailbox.AcknowledgeAsync(new DeviceAddress(recipient, 2), [lastOnDevice2], CancellationToken.None));
        Assert.IsType<MailboxWriteOutcome.MailboxFull>(await Stores.Mailbox.StoreAsync(Write(sender, recipient, Guid.NewGuid(), [1, 2], maxEnvelopes: 4), CancellationToken.None));
        var device1 = await Stores.Mailbox.ReadAsync(new DeviceAddress(recipient, 1), 0, 100, Now, CancellationToken.None);
        Assert.Equal(1, await Stores.Mailbox.AcknowledgeAsync(new DeviceAddress(recipient, 1), [device1[0].Envelope.Id], CancellationToken.None));
        Assert.IsType<MailboxWriteOutcome.Stored>(await Stores.Mailbox.StoreAsync(Write(sender, recipient, Guid.NewGuid(), [1, 2], maxEnvelopes: 4), CancellationToken.None));
    }

    [PgFact]
    public async Task Acknowledging_removes_only_the_devices_own_envelopes()
    {
        var (sender, alice, mallory) = (await Stores.NewAccountAsync(), await Stores.NewAccountAsync(), await Stores.NewAccountAsync());
        var aliceId = StoredId(await Stores.Mailbox.StoreAsync(Write(sender, alice, Guid.NewGuid(), [1]), CancellationToken.None));
        var secondId = StoredId(await Stores.Mailbox.StoreAsync(Write(sender, alice, Guid.NewGuid(), [1]), CancellationToken.None));

        Assert.Equal(0, await Stores.Mailbox.AcknowledgeAsync(new DeviceAddress(mallory, 1), [aliceId, secondId], CancellationToken.None));
        Assert.Equal(0, await Stores.Mailbox.AcknowledgeAsync(new DeviceAddress(alice, 1), [Guid.NewGuid()], CancellationToken.None));
        Assert.Equal(1, await Stores.Mailbox.AcknowledgeAsync(new DeviceAddress(alice, 1), [aliceId, aliceId, Guid.NewGuid()], CancellationToken.None));
        Assert.Equal(0, await Stores.Mailbox.AcknowledgeAsync(new DeviceAddress(alice, 1), [aliceId], CancellationToken.None));

        Assert.Equal([secondId], (await Stores.Mailbox.ReadAsync(new DeviceAddress(alice, 1), 0, 100, Now, CancellationToken.None)).Select(e => e.Envelope.Id));
    }

    [PgFact]
    public async Task Expired_envelopes_are_not_read_and_the_sweep_removes_them_with_their_receipts()
    {
        var (sender, recipient) = (await Stores.NewAccountAsync(), await Stores.NewAccountAsync());
        var messageId = Guid.NewGuid();
        var old = StoredId(await Stores.Mailbox.StoreAsync(Write(sender, recipient, messageId, [1], expiresAt: Now + 1000, maxEnvelopes: 1), CancellationToken.None));
        var device = new DeviceAddress(recipient, 1);

        Assert.Single(await Stores.Mailbox.ReadAsync(device, 0, 100, Now, CancellationToken.None));
        Assert.Empty(await Stores.Mailbox.ReadAsync(device, 0, 100, Now + 1000, CancellationToken.None));
        Assert.True(await Stores.Mailbox.RemoveExpiredAsync(Now + 1000, CancellationToken.None) >= 1);

        // The quota is free again (1 of 1), and the expired receipt no longer pins the message id.
        var again = Assert.IsType<MailboxWriteOutcome.Stored>(await Stores.Mailbox.StoreAsync(Write(sender, recipient, messageId, [1], maxEnvelopes: 1), CancellationToken.None));
        Assert.True(again.Envelopes.Single().IsNew);
        Assert.NotEqual(old, again.Envelopes.Single().EnvelopeId);
    }

    /// <summary>
    /// A stream reads its mailbox after a cursor (the last position it sent). With many writers committing at
    /// once, positions must follow commit order, or a reader could move past a position whose transaction
    /// commits later and never see that envelope.
    /// </summary>
    [PgFact]
    public async Task A_cursor_reader_sees_every_envelope_once_while_many_writers_commit_concurrently()
    {
        var recipient = await Stores.NewAccountAsync();
        var senders = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Stores.NewAccountAsync()));
        var device = new DeviceAddress(recipient, 1);
        var stored = new ConcurrentBag<Guid>();
        using var done = new CancellationTokenSource();

        var writers = Task.WhenAll(senders.Select(sender => Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                stored.Add(StoredId(await Stores.Mailbox.StoreAsync(Write(sender, recipient, Guid.NewGuid(), [1]), CancellationToken.None)));
            }
        })));

        var seen = new List<Guid>();
        long cursor = 0;
        while (true)
        {
            var finished = writers.IsCompleted;
            var entries = await Stores.Mailbox.ReadAsync(device, cursor, 17, Now, CancellationToken.None);
            seen.AddRange(entries.Select(e => e.Envelope.Id));
            cursor = entries.Count > 0 ? entries[^1].Position : cursor;
            if (finished && entries.Count == 0)
            {
                break;
            }
        }

        await writers;
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(stored.Order(), seen.Order());
    }

    internal static MailboxWrite Write(
        long sender,
        long recipient,
        Guid messageId,
        int[] devices,
        byte[]? content = null,
        long expiresAt = Now + 86_400_000,
        int maxEnvelopes = 10_000,
        long maxBytes = 1 << 20) =>
        new(
            new DeviceAddress(sender, 1),
            "sender",
            recipient,
            messageId,
            42,
            [.. devices.Select(d => new OutgoingEnvelope(d, EnvelopeType.Whisper, content ?? [1, 2, 3]))],
            Now,
            expiresAt,
            maxEnvelopes,
            maxBytes);

    private static Guid StoredId(MailboxWriteOutcome outcome) =>
        Assert.IsType<MailboxWriteOutcome.Stored>(outcome).Envelopes.Single().EnvelopeId;
}

public sealed class SqliteMailboxContract : MailboxContract
{
    private protected override Task<StoreSet> OpenStoresAsync() => SqliteStores.OpenAsync();
}

[RequiresPostgres]
public sealed class PostgresMailboxContract(FreshDatabase database) : MailboxContract, IClassFixture<FreshDatabase>
{
    private protected override async Task<StoreSet> OpenStoresAsync() => await PostgresStores.OpenAsync(database.ConnectionString);
}
