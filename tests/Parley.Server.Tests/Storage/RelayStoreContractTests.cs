using System.Collections.Concurrent;
using System.Security.Cryptography;
using Parley.Contracts.Keys;
using Parley.Contracts.Messages;
using Parley.Server.Accounts;
using Parley.Server.Keys;
using Parley.Server.Messages;
using Parley.Testing.Postgres;

namespace Parley.Server.Tests.Storage;

/// <summary>
/// The rules every store implementation must keep, written once against the ports and run against each backend:
/// <see cref="SqliteStoreContractTests"/> and <see cref="PostgresStoreContractTests"/>. Every test gets fresh,
/// empty, migrated stores. <see cref="PgFactAttribute"/> runs a fact everywhere, and reports it skipped (with
/// the reason) only on the PostgreSQL subclass when no PostgreSQL can be started.
/// </summary>
public abstract class RelayStoreContractTests : IAsyncLifetime
{
    private const long Now = 1_800_000_000_000;
    private const long Later = Now + 86_400_000;

    private protected IAccountStore Accounts { get; private set; } = null!;

    private protected IKeyDirectory Keys { get; private set; } = null!;

    private protected IMailbox Mailbox { get; private set; } = null!;

    public async Task InitializeAsync() => (Accounts, Keys, Mailbox) = await CreateStoresAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Fresh, empty, migrated stores.</summary>
    private protected abstract Task<(IAccountStore, IKeyDirectory, IMailbox)> CreateStoresAsync();

    /// <summary>
    /// Adds a device with signed keys to an account directly in the store (the relay has no device-linking route
    /// yet; its data model and send path are per device already).
    /// </summary>
    private protected abstract Task AddDeviceAsync(long accountId, int deviceId);

    // ----- accounts ------------------------------------------------------------------------------------------

    [PgFact]
    public async Task A_username_is_created_once_and_its_device_found_by_name()
    {
        var account = NewAccount("alice");
        var id = (await Accounts.CreateAsync(account, CancellationToken.None))!.Value;
        Assert.Null(await Accounts.CreateAsync(NewAccount("alice"), CancellationToken.None));

        var login = await Accounts.FindDeviceAsync("alice", 1, CancellationToken.None);
        Assert.Equal((id, "alice", 1), (login!.AccountId, login.Username, login.DeviceId));
        Assert.Equal(account.FirstDevice.CredentialHash, login.CredentialHash);
        Assert.Null(await Accounts.FindDeviceAsync("alice", 2, CancellationToken.None));
        Assert.Null(await Accounts.FindDeviceAsync("nobody", 1, CancellationToken.None));
        Assert.Equal("alice", (await Accounts.GetAsync(id, CancellationToken.None))!.Username);
    }

    [PgFact]
    public async Task An_account_lists_its_devices_in_device_order()
    {
        var id = await CreateAsync("alice");
        await AddDeviceAsync(id, 3);
        await AddDeviceAsync(id, 2);

        var account = await Accounts.FindAsync("alice", CancellationToken.None);

        Assert.Equal(id, account!.AccountId);
        Assert.Equal([1, 2, 3], account.Devices.Select(d => d.DeviceId));
        Assert.Equal([7, 42, 42], account.Devices.Select(d => d.RegistrationId));
    }

    [PgFact]
    public async Task Concurrent_registrations_of_one_name_create_exactly_one_account()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => Accounts.CreateAsync(NewAccount("carol"), CancellationToken.None))));

        Assert.Single(results, r => r is not null);
        Assert.Equal(results.Single(r => r is not null), (await Accounts.FindAsync("carol", CancellationToken.None))?.AccountId);
    }

    [PgFact]
    public async Task Deleting_an_account_removes_its_mailbox_and_keys()
    {
        var alice = await CreateAsync("alice");
        var bob = await CreateAsync("bob", oneTime: 3);
        await Mailbox.StoreAsync(Write(alice, bob, [1]), CancellationToken.None);
        Assert.True(await Accounts.DeleteAsync(bob, CancellationToken.None));
        Assert.False(await Accounts.DeleteAsync(bob, CancellationToken.None));
        Assert.Empty(await Mailbox.ReadAsync(new DeviceAddress(bob, 1), 0, 100, Now, CancellationToken.None));
        Assert.Empty(await Keys.ClaimBundlesAsync(bob, CancellationToken.None));
        Assert.Equal(new PreKeyCountResponse(0, 0), await Keys.CountAsync(new DeviceAddress(bob, 1), CancellationToken.None));
        Assert.Null(await Accounts.FindAsync("bob", CancellationToken.None));
        Assert.NotNull(await Accounts.CreateAsync(NewAccount("bob"), CancellationToken.None));
    }

    // ----- prekeys -------------------------------------------------------------------------------------------

    [PgFact]
    public async Task One_time_keys_are_handed_out_oldest_first_then_none_and_kyber_falls_back_to_last_resort()
    {
        var id = await CreateAsync("bob", oneTime: 2, oneTimeKyber: 1);

        var bundles = new List<DevicePreKeyBundle>();
        for (var i = 0; i < 3; i++)
        {
            bundles.Add(Assert.Single(await Keys.ClaimBundlesAsync(id, CancellationToken.None)));
        }

        Assert.Equal([1u, 2u], bundles.Take(2).Select(b => b.PreKey!.KeyId));
        Assert.Null(bundles[2].PreKey);
        Assert.Equal([2000u, 2u, 2u], bundles.Select(b => b.KyberPreKey.KeyId));
        Assert.Equal(new PreKeyCountResponse(0, 0), await Keys.CountAsync(new DeviceAddress(id, 1), CancellationToken.None));
    }

    [PgFact]
    public async Task Concurrent_claims_hand_out_each_one_time_key_at_most_once()
    {
        var id = await CreateAsync("bob", oneTime: 50, oneTimeKyber: 50);

        var claims = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => Keys.ClaimBundlesAsync(id, CancellationToken.None))));

        var handed = claims.Select(c => Assert.Single(c).PreKey).OfType<PreKey>().Select(k => k.KeyId).ToList();
        var kyber = claims.Select(c => c[0].KyberPreKey.KeyId).Where(k => k != 2).ToList();
        Assert.Equal(50, handed.Count);
        Assert.Equal(50, handed.Distinct().Count());
        Assert.Equal(50, kyber.Count);
        Assert.Equal(50, kyber.Distinct().Count());
        Assert.Equal(new PreKeyCountResponse(0, 0), await Keys.CountAsync(new DeviceAddress(id, 1), CancellationToken.None));
    }

    [PgFact]
    public async Task Uploads_add_one_time_keys_replace_signed_keys_and_a_known_key_id_replaces_its_key()
    {
        var id = await CreateAsync("bob", oneTime: 1);
        var device = new DeviceAddress(id, 1);
        var replacement = new PreKey(1, TestKeys.Ec());
        var signed = TestKeys.Signed(7);
        var lastResort = TestKeys.Kyber(8);

        var outcome = await Keys.UploadAsync(
            device, new UploadKeysRequest(signed, lastResort, [replacement, new PreKey(5, TestKeys.Ec())], TestKeys.OneTimeKyber(300, 2)), 1000, CancellationToken.None);

        Assert.Equal(KeyUploadOutcome.Stored, outcome);
        Assert.Equal(new PreKeyCountResponse(2, 2), await Keys.CountAsync(device, CancellationToken.None));
        var bundles = new List<DevicePreKeyBundle>();
        for (var i = 0; i < 3; i++)
        {
            bundles.Add(Assert.Single(await Keys.ClaimBundlesAsync(id, CancellationToken.None)));
        }

        Assert.Equal(7u, bundles[0].SignedPreKey.KeyId);
        Assert.Equal(signed.PublicKey, bundles[0].SignedPreKey.PublicKey);
        Assert.Equal([1u, 5u], bundles.Take(2).Select(b => b.PreKey!.KeyId));
        Assert.Equal(replacement.PublicKey, bundles[0].PreKey!.PublicKey);
        Assert.Equal([300u, 301u, 8u], bundles.Select(b => b.KyberPreKey.KeyId));
        Assert.Equal(lastResort.PublicKey, bundles[2].KyberPreKey.PublicKey);
    }

    [PgFact]
    public async Task An_upload_over_the_device_limit_changes_nothing()
    {
        var id = await CreateAsync("bob", oneTime: 8);
        var device = new DeviceAddress(id, 1);
        var outcome = await Keys.UploadAsync(device, new UploadKeysRequest(TestKeys.Signed(50), OneTimePreKeys: TestKeys.OneTime(100, 3)), 10, CancellationToken.None);
        Assert.Equal(KeyUploadOutcome.TooManyOneTimePreKeys, outcome);
        Assert.Equal(new PreKeyCountResponse(8, 0), await Keys.CountAsync(device, CancellationToken.None));
        Assert.Equal(1u, Assert.Single(await Keys.ClaimBundlesAsync(id, CancellationToken.None)).SignedPreKey.KeyId);
        Assert.Equal(KeyUploadOutcome.DeviceNotFound, await Keys.UploadAsync(new DeviceAddress(id, 9), new UploadKeysRequest(TestKeys.Signed(2)), 10, CancellationToken.None));
    }

    [PgFact]
    public async Task Concurrent_uploads_cannot_together_exceed_the_device_limit()
    {
        var device = new DeviceAddress(await CreateAsync("bob"), 1);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            Task.Run(() => Keys.UploadAsync(device, new UploadKeysRequest(OneTimePreKeys: TestKeys.OneTime((uint)(i * 1000), 60)), 100, CancellationToken.None))));

        Assert.Single(outcomes, o => o == KeyUploadOutcome.Stored);
        Assert.Equal(new PreKeyCountResponse(60, 0), await Keys.CountAsync(device, CancellationToken.None));
    }

    [PgFact]
    public async Task Bundles_cover_every_device_in_device_order()
    {
        var id = await CreateAsync("bob", oneTime: 1);
        await AddDeviceAsync(id, 3);
        await AddDeviceAsync(id, 2);

        var bundles = await Keys.ClaimBundlesAsync(id, CancellationToken.None);

        Assert.Equal([1, 2, 3], bundles.Select(b => b.DeviceId));
        Assert.NotNull(bundles[0].PreKey);
        Assert.Null(bundles[1].PreKey);
        Assert.Equal(42, bundles[2].RegistrationId);
    }

    // ----- mailboxes -----------------------------------------------------------------------------------------

    [PgFact]
    public async Task Stored_envelopes_are_read_in_order_after_a_position_and_skip_expired_ones()
    {
        var alice = await CreateAsync("alice");
        var bob = await CreateAsync("bob");
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var outcome = Assert.IsType<MailboxWriteOutcome.Stored>(await Mailbox.StoreAsync(Write(alice, bob, [(byte)i], expiresAt: i == 2 ? Now + 10 : Later), CancellationToken.None));
            ids.Add(Assert.Single(outcome.Envelopes).EnvelopeId);
        }

        var device = new DeviceAddress(bob, 1);
        var all = await Mailbox.ReadAsync(device, 0, 100, Now, CancellationToken.None);
        Assert.Equal(ids, all.Select(e => e.Envelope.Id));
        Assert.True(all.Select(e => e.Position).SequenceEqual(all.Select(e => e.Position).Order()));
        Assert.Equal((EnvelopeType.Whisper, "sender", 1, 1L, Now), (all[0].Envelope.Type, all[0].Envelope.SourceUsername, all[0].Envelope.SourceDeviceId, all[0].Envelope.Timestamp, all[0].Envelope.ServerTimestamp));
        Assert.Equal([0, 1, 2, 3, 4], all.Select(e => (int)e.Envelope.Content[0]));
        var after = await Mailbox.ReadAsync(device, all[1].Position, 2, Now, CancellationToken.None);
        Assert.Equal(ids[2..4], after.Select(e => e.Envelope.Id));
        var unexpired = await Mailbox.ReadAsync(device, 0, 100, Now + 10, CancellationToken.None);
        Assert.DoesNotContain(ids[2], unexpired.Select(e => e.Envelope.Id));
        Assert.Equal(1, await Mailbox.RemoveExpiredAsync(Now + 10, CancellationToken.None));
        Assert.Equal(4, (await Mailbox.ReadAsync(device, 0, 100, Now, CancellationToken.None)).Count);
    }

    [PgFact]
    public async Task A_repeated_message_id_from_the_same_sender_device_is_stored_once()
    {
        var alice = await CreateAsync("alice");
        var bob = await CreateAsync("bob");
        var write = Write(alice, bob, [1, 2, 3]);
        var first = Assert.Single(Assert.IsType<MailboxWriteOutcome.Stored>(await Mailbox.StoreAsync(write, CancellationToken.None)).Envelopes);
        var again = Assert.Single(Assert.IsType<MailboxWriteOutcome.Stored>(await Mailbox.StoreAsync(write, CancellationToken.None)).Envelopes);
        Assert.True(first.IsNew);
        Assert.False(again.IsNew);
        Assert.Equal(first.EnvelopeId, again.EnvelopeId);
        Assert.Single(await Mailbox.ReadAsync(new DeviceAddress(bob, 1), 0, 100, Now, CancellationToken.None));
    }

    [PgFact]
    public async Task Concurrent_retries_of_one_message_store_it_once_and_all_get_its_id()
    {
        var alice = await CreateAsync("alice");
        var bob = await CreateAsync("bob");
        var write = Write(alice, bob, [1]);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Mailbox.StoreAsync(write, CancellationToken.None))));

        var stored = outcomes.Select(o => Assert.Single(Assert.IsType<MailboxWriteOutcome.Stored>(o).Envelopes)).ToList();
        Assert.Single(stored.Select(s => s.EnvelopeId).Distinct());
        Assert.Single(stored, s => s.IsNew);
        Assert.Single(await Mailbox.ReadAsync(new DeviceAddress(bob, 1), 0, 100, Now, CancellationToken.None));
    }

    [PgFact]
    public async Task A_device_mismatch_or_a_full_mailbox_stores_nothing()
    {
        var alice = await CreateAsync("alice");
        var bob = await CreateAsync("bob");
        var mismatch = Assert.IsType<MailboxWriteOutcome.DeviceMismatch>(await Mailbox.StoreAsync(
            Write(alice, bob, [1]) with { Envelopes = [new OutgoingEnvelope(2, EnvelopeType.Whisper, [1])] }, CancellationToken.None));
        Assert.Equal([1], mismatch.Missing);
        Assert.Equal([2], mismatch.Extra);

        Assert.IsType<MailboxWriteOutcome.Stored>(await Mailbox.StoreAsync(Write(alice, bob, new byte[60]) with { MailboxMaxBytes = 100 }, CancellationToken.None));
        var full = Assert.IsType<MailboxWriteOutcome.MailboxFull>(await Mailbox.StoreAsync(Write(alice, bob, new byte[60]) with { MailboxMaxBytes = 100 }, CancellationToken.None));
        Assert.Equal(1, full.DeviceId);
        Assert.Single(await Mailbox.ReadAsync(new DeviceAddress(bob, 1), 0, 100, Now, CancellationToken.None));
        Assert.IsType<MailboxWriteOutcome.RecipientNotFound>(await Mailbox.StoreAsync(Write(alice, 987_654, [1]), CancellationToken.None));
    }

    [PgFact]
    public async Task A_send_to_several_devices_is_all_or_nothing_and_own_sends_skip_the_sending_device()
    {
        var alice = await CreateAsync("alice");
        var bob = await CreateAsync("bob");
        await AddDeviceAsync(bob, 2);
        await AddDeviceAsync(bob, 3);
        await AddDeviceAsync(alice, 2);

        var mismatch = Assert.IsType<MailboxWriteOutcome.DeviceMismatch>(await Mailbox.StoreAsync(ToDevices(alice, bob, 1, 2, 9), CancellationToken.None));
        Assert.Equal([3], mismatch.Missing);
        Assert.Equal([9], mismatch.Extra);

        // Device 2 holds 2 of 2, device 1 and 3 hold 1: the next send is refused as a whole.
        Assert.IsType<MailboxWriteOutcome.Stored>(await Mailbox.StoreAsync(ToDevices(alice, bob, 1, 2, 3) with { MailboxMaxEnvelopes = 2 }, CancellationToken.None));
        Assert.IsType<MailboxWriteOutcome.Stored>(await Mailbox.StoreAsync(ToDevices(alice, bob, 1, 2, 3) with { MailboxMaxEnvelopes = 2 }, CancellationToken.None));
        var device3 = await Mailbox.ReadAsync(new DeviceAddress(bob, 3), 0, 100, Now, CancellationToken.None);
        Assert.Equal(2, await Mailbox.AcknowledgeAsync(new DeviceAddress(bob, 3), [.. device3.Select(e => e.Envelope.Id)], CancellationToken.None));
        Assert.IsType<MailboxWriteOutcome.MailboxFull>(await Mailbox.StoreAsync(ToDevices(alice, bob, 1, 2, 3) with { MailboxMaxEnvelopes = 2 }, CancellationToken.None));
        Assert.Empty(await Mailbox.ReadAsync(new DeviceAddress(bob, 3), 0, 100, Now, CancellationToken.None));

        // Acknowledging frees room: with devices 1 and 2 emptied too, the send goes through.
        foreach (var device in new[] { 1, 2 })
        {
            var pending = await Mailbox.ReadAsync(new DeviceAddress(bob, device), 0, 100, Now, CancellationToken.None);
            await Mailbox.AcknowledgeAsync(new DeviceAddress(bob, device), [.. pending.Select(e => e.Envelope.Id)], CancellationToken.None);
        }

        Assert.IsType<MailboxWriteOutcome.Stored>(await Mailbox.StoreAsync(ToDevices(alice, bob, 1, 2, 3) with { MailboxMaxEnvelopes = 2 }, CancellationToken.None));

        // To one's own account: every device but the sending one.
        Assert.IsType<MailboxWriteOutcome.DeviceMismatch>(await Mailbox.StoreAsync(ToDevices(alice, alice, 1, 2), CancellationToken.None));
        Assert.IsType<MailboxWriteOutcome.Stored>(await Mailbox.StoreAsync(ToDevices(alice, alice, 2), CancellationToken.None));
    }

    [PgFact]
    public async Task Only_the_owning_device_can_acknowledge_an_envelope()
    {
        var alice = await CreateAsync("alice");
        var bob = await CreateAsync("bob");
        var stored = Assert.IsType<MailboxWriteOutcome.Stored>(await Mailbox.StoreAsync(Write(alice, bob, [1]), CancellationToken.None));
        var id = Assert.Single(stored.Envelopes).EnvelopeId;

        Assert.Equal(0, await Mailbox.AcknowledgeAsync(new DeviceAddress(alice, 1), [id], CancellationToken.None));
        Assert.Equal(0, await Mailbox.AcknowledgeAsync(new DeviceAddress(bob, 1), [Guid.NewGuid()], CancellationToken.None));
        Assert.Equal(1, await Mailbox.AcknowledgeAsync(new DeviceAddress(bob, 1), [id, id], CancellationToken.None));
        Assert.Equal(0, await Mailbox.AcknowledgeAsync(new DeviceAddress(bob, 1), [id], CancellationToken.None));
        Assert.Empty(await Mailbox.ReadAsync(new DeviceAddress(bob, 1), 0, 100, Now, CancellationToken.None));
    }

    [PgFact]
    public async Task The_sweep_frees_the_quota_and_an_expired_receipt_no_longer_pins_the_message_id()
    {
        var alice = await CreateAsync("alice");
        var bob = await CreateAsync("bob");
        var write = Write(alice, bob, [1], expiresAt: Now + 1000) with { MailboxMaxEnvelopes = 1 };
        var old = Assert.Single(Assert.IsType<MailboxWriteOutcome.Stored>(await Mailbox.StoreAsync(write, CancellationToken.None)).Envelopes).EnvelopeId;

        Assert.Equal(1, await Mailbox.RemoveExpiredAsync(Now + 1000, CancellationToken.None));

        var again = Assert.Single(Assert.IsType<MailboxWriteOutcome.Stored>(await Mailbox.StoreAsync(write with { ExpiresAt = Later }, CancellationToken.None)).Envelopes);
        Assert.True(again.IsNew);
        Assert.NotEqual(old, again.EnvelopeId);
    }

    /// <summary>
    /// A stream reads its mailbox after a cursor (the last position it sent). With many writers committing at
    /// once, positions must follow commit order, or a reader could move past a position whose transaction
    /// commits later and never see that envelope.
    /// </summary>
    [PgFact]
    public async Task A_cursor_reader_sees_every_envelope_once_while_many_writers_commit_concurrently()
    {
        var bob = await CreateAsync("bob");
        var senders = new List<long>();
        for (var i = 0; i < 8; i++)
        {
            senders.Add(await CreateAsync("sender" + i));
        }

        var stored = new ConcurrentBag<Guid>();
        var writers = Task.WhenAll(senders.Select(sender => Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                var outcome = await Mailbox.StoreAsync(Write(sender, bob, [(byte)i]), CancellationToken.None);
                stored.Add(Assert.Single(Assert.IsType<MailboxWriteOutcome.Stored>(outcome).Envelopes).EnvelopeId);
            }
        })));

        var seen = new List<Guid>();
        long cursor = 0;
        while (true)
        {
            var finished = writers.IsCompleted;
            var entries = await Mailbox.ReadAsync(new DeviceAddress(bob, 1), cursor, 17, Now, CancellationToken.None);
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

    private async Task<long> CreateAsync(string username, int oneTime = 0, int oneTimeKyber = 0) =>
        (await Accounts.CreateAsync(NewAccount(username, oneTime, oneTimeKyber), CancellationToken.None))!.Value;

    private static NewAccount NewAccount(string username, int oneTime = 0, int oneTimeKyber = 0) => new(
        username,
        Now,
        new NewDevice(1, SHA256.HashData(RandomNumberGenerator.GetBytes(32)), 7, TestKeys.Ec(), TestKeys.Signed(1), TestKeys.Kyber(2), TestKeys.OneTime(1, oneTime), TestKeys.OneTimeKyber(2000, oneTimeKyber)));

    private static MailboxWrite Write(long from, long to, byte[] content, long expiresAt = Later) => new(
        new DeviceAddress(from, 1), "sender", to, Guid.NewGuid(), 1, [new OutgoingEnvelope(1, EnvelopeType.Whisper, content)], Now, expiresAt, 1000, 1_000_000);

    private static MailboxWrite ToDevices(long from, long to, params int[] devices) =>
        Write(from, to, [1]) with { Envelopes = [.. devices.Select(d => new OutgoingEnvelope(d, EnvelopeType.Whisper, [(byte)d]))] };
}
