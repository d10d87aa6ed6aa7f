using Parley.Contracts.Messages;
using Parley.Server.Messages;

namespace Parley.Server.Postgres.Tests.Contract;

/// <summary>What every <c>IAccountStore</c> must do.</summary>
public abstract class AccountStoreContract : StoreContract
{
    [PgFact]
    public async Task A_created_account_is_found_by_name_and_by_id_with_its_device()
    {
        var name = StoreSet.UniqueName();
        var id = await Stores.NewAccountAsync(name);

        var byName = await Stores.Accounts.FindAsync(name, CancellationToken.None);
        var byId = await Stores.Accounts.GetAsync(id, CancellationToken.None);

        Assert.NotNull(byName);
        Assert.Equal(id, byName.AccountId);
        Assert.Equal(name, byId?.Username);
        Assert.Equal([1], byName.Devices.Select(d => d.DeviceId));
        Assert.Equal(1234, byName.Devices[0].RegistrationId);
    }

    [PgFact]
    public async Task A_taken_username_is_refused()
    {
        var name = StoreSet.UniqueName();
        await Stores.NewAccountAsync(name);

        Assert.Null(await Stores.Accounts.CreateAsync(StoreSet.NewAccount(name), CancellationToken.None));
    }

    [PgFact]
    public async Task Concurrent_registrations_of_one_name_create_exactly_one_account()
    {
        var name = StoreSet.UniqueName();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => Stores.Accounts.CreateAsync(StoreSet.NewAccount(name), CancellationToken.None))));

        Assert.Single(results, r => r is not null);
        Assert.Equal(results.Single(r => r is not null), (await Stores.Accounts.FindAsync(name, CancellationToken.None))?.AccountId);
    }

    [PgFact]
    public async Task A_device_login_carries_the_credential_hash_and_unknown_devices_are_null()
    {
        var name = StoreSet.UniqueName();
        var account = StoreSet.NewAccount(name);
        var id = await Stores.Accounts.CreateAsync(account, CancellationToken.None);

        var login = await Stores.Accounts.FindDeviceAsync(name, 1, CancellationToken.None);

        Assert.NotNull(login);
        Assert.Equal(id, login.AccountId);
        Assert.Equal(account.FirstDevice.CredentialHash, login.CredentialHash);
        Assert.Null(await Stores.Accounts.FindDeviceAsync(name, 2, CancellationToken.None));
        Assert.Null(await Stores.Accounts.FindDeviceAsync(StoreSet.UniqueName(), 1, CancellationToken.None));
    }

    [PgFact]
    public async Task Deleting_an_account_removes_its_devices_keys_mailboxes_and_receipts()
    {
        var name = StoreSet.UniqueName();
        var doomed = await Stores.NewAccountAsync(name, oneTimePreKeys: 5, oneTimeKyberPreKeys: 5);
        var sender = await Stores.NewAccountAsync();
        var messageId = Guid.NewGuid();
        await Stores.Mailbox.StoreAsync(MailboxContract.Write(sender, doomed, messageId, [1]), CancellationToken.None);

        Assert.True(await Stores.Accounts.DeleteAsync(doomed, CancellationToken.None));

        Assert.Null(await Stores.Accounts.GetAsync(doomed, CancellationToken.None));
        Assert.Null(await Stores.Accounts.FindDeviceAsync(name, 1, CancellationToken.None));
        Assert.Empty(await Stores.Keys.ClaimBundlesAsync(doomed, CancellationToken.None));
        Assert.Empty(await Stores.Mailbox.ReadAsync(new DeviceAddress(doomed, 1), 0, 100, 0, CancellationToken.None));
        Assert.False(await Stores.Accounts.DeleteAsync(doomed, CancellationToken.None));

        // The name is free again, and the new account starts with an empty mailbox.
        var reborn = await Stores.NewAccountAsync(name);
        Assert.Empty(await Stores.Mailbox.ReadAsync(new DeviceAddress(reborn, 1), 0, 100, 0, CancellationToken.None));
        var again = await Stores.Mailbox.StoreAsync(MailboxContract.Write(sender, reborn, messageId, [1]), CancellationToken.None);
        Assert.True(Assert.IsType<MailboxWriteOutcome.Stored>(again).Envelopes.Single().IsNew);
    }
}

public sealed class SqliteAccountStoreContract : AccountStoreContract
{
    private protected override Task<StoreSet> OpenStoresAsync() => SqliteStores.OpenAsync();
}

[RequiresPostgres]
public sealed class PostgresAccountStoreContract(FreshDatabase database) : AccountStoreContract, IClassFixture<FreshDatabase>
{
    private protected override async Task<StoreSet> OpenStoresAsync() => await PostgresStores.OpenAsync(database.ConnectionString);
}
