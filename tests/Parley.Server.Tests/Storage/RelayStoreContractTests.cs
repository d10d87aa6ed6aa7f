using System.Security.Cryptography;
using Parley.Contracts.Keys;
using Parley.Contracts.Messages;
using Parley.Server.Accounts;
using Parley.Server.Keys;
using Parley.Server.Messages;

namespace Parley.Server.Tests.Storage;

/// <summary>
/// The rules every store implementation must keep, written once against the ports. SQLite runs them now
/// (<see cref="SqliteStoreContractTests"/>); a PostgreSQL implementation adds one subclass.
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

    [Fact]
    public async Task A_username_is_created_once_and_its_device_found_by_name()
    {
        var id = await CreateAsync("alice");
        Assert.Null(await Accounts.CreateAsync(NewAccount("alice"), CancellationToken.None));

        var login = await Accounts.FindDeviceAsync("alice", 1, CancellationToken.None);
        Assert.Equal((id, "alice", 1), (login!.AccountId, login.Username, login.DeviceId));
        Assert.Equal(32, login.CredentialHash.Length);
        Assert.Null(await Accounts.FindDeviceAsync("alice", 2, CancellationToken.None));
        Assert.Null(await Accounts.FindDeviceAsync("nobody", 1, CancellationToken.None));
        Assert.Equal("alice", (await Accounts.GetAsync(id, CancellationToken.None))!.Username);
    }

    [Fact]
    public async Task Concurrent_claims_hand_out_each_one_time_key_at_most_once()
    {
        var id = await CreateAsync("bob", oneTime: 20);
        var claims = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => Keys.ClaimBundlesAsync(id, CancellationToken.None))));
        var handed = claims.Select(c => Assert.Single(c).PreKey).OfType<PreKey>().Select(k => k.KeyId).ToList();
        Assert.Equal(20, handed.Count);
        Assert.Equal(20, handed.Distinct().Count());
        Assert.Equal(new PreKeyCountResponse(0, 0), await Keys.CountAsync(new DeviceAddress(id, 1), CancellationToken.None));
    }

    [Fact]
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

    [Fact]
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
        var after = await Mailbox.ReadAsync(device, all[1].Position, 2, Now, CancellationToken.None);
        Assert.Equal(ids[2..4], after.Select(e => e.Envelope.Id));
        var unexpired = await Mailbox.ReadAsync(device, 0, 100, Now + 10, CancellationToken.None);
        Assert.DoesNotContain(ids[2], unexpired.Select(e => e.Envelope.Id));
        Assert.Equal(1, await Mailbox.RemoveExpiredAsync(Now + 10, CancellationToken.None));
        Assert.Equal(4, (await Mailbox.ReadAsync(device, 0, 100, Now, CancellationToken.None)).Count);
    }

    [Fact]
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

    [Fact]
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

    [Fact]
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

    [Fact]
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

    private async Task<long> CreateAsync(string username, int oneTime = 0) =>
        (await Accounts.CreateAsync(NewAccount(username, oneTime), CancellationToken.None))!.Value;

    private static NewAccount NewAccount(string username, int oneTime = 0) => new(
        username,
        Now,
        new NewDevice(1, SHA256.HashData(RandomNumberGenerator.GetBytes(32)), 7, TestKeys.Ec(), TestKeys.Signed(1), TestKeys.Kyber(2), TestKeys.OneTime(1, oneTime), []));

    private static MailboxWrite Write(long from, long to, byte[] content, long expiresAt = Later) => new(
        new DeviceAddress(from, 1), "sender", to, Guid.NewGuid(), 1, [new OutgoingEnvelope(1, EnvelopeType.Whisper, content)], Now, expiresAt, 1000, 1_000_000);
}
