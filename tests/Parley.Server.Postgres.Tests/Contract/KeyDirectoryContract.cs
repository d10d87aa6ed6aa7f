using Parley.Contracts.Keys;
using Parley.Server.Keys;
using Parley.Testing.Relay;

namespace Parley.Server.Postgres.Tests.Contract;

/// <summary>What every <c>IKeyDirectory</c> must do; above all, hand out each one-time prekey at most once, however many callers race.</summary>
public abstract class KeyDirectoryContract : StoreContract
{
    [PgFact]
    public async Task One_time_keys_are_handed_out_oldest_first_then_none_and_kyber_falls_back_to_last_resort()
    {
        var account = await Stores.NewAccountAsync(oneTimePreKeys: 2, oneTimeKyberPreKeys: 1);

        var first = Assert.Single(await Stores.Keys.ClaimBundlesAsync(account, CancellationToken.None));
        var second = Assert.Single(await Stores.Keys.ClaimBundlesAsync(account, CancellationToken.None));
        var third = Assert.Single(await Stores.Keys.ClaimBundlesAsync(account, CancellationToken.None));

        Assert.Equal(1u, first.PreKey?.KeyId);
        Assert.Equal(2000u, first.KyberPreKey.KeyId);
        Assert.Equal(2u, second.PreKey?.KeyId);
        Assert.Equal(1000u, second.KyberPreKey.KeyId);
        Assert.Null(third.PreKey);
        Assert.Equal(1000u, third.KyberPreKey.KeyId);
        Assert.Equal(new PreKeyCountResponse(0, 0), await Stores.Keys.CountAsync(new DeviceAddress(account, 1), CancellationToken.None));
    }

    [PgFact]
    public async Task Concurrent_claims_hand_out_each_one_time_key_at_most_once()
    {
        var account = await Stores.NewAccountAsync(oneTimePreKeys: 50, oneTimeKyberPreKeys: 50);

        var bundles = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ =>
            Task.Run(() => Stores.Keys.ClaimBundlesAsync(account, CancellationToken.None))));

        var preKeys = bundles.Select(b => b.Single().PreKey).Where(k => k is not null).Select(k => k!.KeyId).ToList();
        var kyber = bundles.Select(b => b.Single().KyberPreKey.KeyId).Where(id => id != 1000).ToList();
        Assert.Equal(50, preKeys.Count);
        Assert.Equal(50, preKeys.Distinct().Count());
        Assert.Equal(50, kyber.Count);
        Assert.Equal(50, kyber.Distinct().Count());
        Assert.Equal(new PreKeyCountResponse(0, 0), await Stores.Keys.CountAsync(new DeviceAddress(account, 1), CancellationToken.None));
    }

    [PgFact]
    public async Task Uploads_add_one_time_keys_replace_signed_keys_and_a_known_key_id_replaces_its_key()
    {
        var account = await Stores.NewAccountAsync(oneTimePreKeys: 1);
        var device = new DeviceAddress(account, 1);
        var replacement = new PreKey(1, FakeKeys.Ec());
        var signed = FakeKeys.SignedEc(7);
        var lastResort = FakeKeys.SignedKyber(8);

        var outcome = await Stores.Keys.UploadAsync(
            device,
            new UploadKeysRequest(signed, lastResort, [replacement, new PreKey(5, FakeKeys.Ec())], FakeKeys.OneTimeKyber(300, 2)),
            1000,
            CancellationToken.None);

        Assert.Equal(KeyUploadOutcome.Stored, outcome);
        Assert.Equal(new PreKeyCountResponse(2, 2), await Stores.Keys.CountAsync(device, CancellationToken.None));
        var bundles = new List<DevicePreKeyBundle>();
        for (var i = 0; i < 3; i++)
        {
            bundles.Add(Assert.Single(await Stores.Keys.ClaimBundlesAsync(account, CancellationToken.None)));
        }

        Assert.Equal(signed.PublicKey, bundles[0].SignedPreKey.PublicKey);
        Assert.Equal(7u, bundles[0].SignedPreKey.KeyId);
        Assert.Equal([1u, 5u], bundles.Take(2).Select(b => b.PreKey!.KeyId));
        Assert.Equal(replacement.PublicKey, bundles[0].PreKey!.PublicKey);
        Assert.Equal([300u, 301u, 8u], bundles.Select(b => b.KyberPreKey.KeyId));
        Assert.Equal(lastResort.PublicKey, bundles[2].KyberPreKey.PublicKey);
    }

    [PgFact]
    public async Task An_upload_beyond_the_pool_limit_changes_nothing()
    {
        var account = await Stores.NewAccountAsync(oneTimePreKeys: 8);
        var device = new DeviceAddress(account, 1);
        var before = Assert.Single(await Stores.Keys.ClaimBundlesAsync(account, CancellationToken.None)).SignedPreKey;

        var outcome = await Stores.Keys.UploadAsync(device, new UploadKeysRequest(FakeKeys.SignedEc(9), OneTimePreKeys: FakeKeys.OneTime(100, 5)), 10, CancellationToken.None);

        Assert.Equal(KeyUploadOutcome.TooManyOneTimePreKeys, outcome);
        Assert.Equal(new PreKeyCountResponse(7, 0), await Stores.Keys.CountAsync(device, CancellationToken.None));
        Assert.Equal(before.PublicKey, Assert.Single(await Stores.Keys.ClaimBundlesAsync(account, CancellationToken.None)).SignedPreKey.PublicKey);
    }

    [PgFact]
    public async Task Concurrent_uploads_cannot_together_exceed_the_pool_limit()
    {
        var account = await Stores.NewAccountAsync();
        var device = new DeviceAddress(account, 1);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            Task.Run(() => Stores.Keys.UploadAsync(device, new UploadKeysRequest(OneTimePreKeys: FakeKeys.OneTime((uint)(i * 1000), 60)), 100, CancellationToken.None))));

        Assert.Single(outcomes, o => o == KeyUploadOutcome.Stored);
        Assert.Equal(new PreKeyCountResponse(60, 0), await Stores.Keys.CountAsync(device, CancellationToken.None));
    }

    [PgFact]
    public async Task An_upload_for_a_missing_device_is_reported()
    {
        var account = await Stores.NewAccountAsync();

        var outcome = await Stores.Keys.UploadAsync(new DeviceAddress(account, 2), new UploadKeysRequest(FakeKeys.SignedEc(2)), 100, CancellationToken.None);

        Assert.Equal(KeyUploadOutcome.DeviceNotFound, outcome);
    }

    [PgFact]
    public async Task Bundles_cover_every_device_in_device_order()
    {
        var account = await Stores.NewAccountAsync(oneTimePreKeys: 1);
        await Stores.AddDeviceAsync(account, 3);
        await Stores.AddDeviceAsync(account, 2);

        var bundles = await Stores.Keys.ClaimBundlesAsync(account, CancellationToken.None);

        Assert.Equal([1, 2, 3], bundles.Select(b => b.DeviceId));
        Assert.NotNull(bundles[0].PreKey);
        Assert.Null(bundles[1].PreKey);
        Assert.Equal(42, bundles[2].RegistrationId);
    }
}

public sealed class SqliteKeyDirectoryContract : KeyDirectoryContract
{
    private protected override Task<StoreSet> OpenStoresAsync() => SqliteStores.OpenAsync();
}

[RequiresPostgres]
public sealed class PostgresKeyDirectoryContract(FreshDatabase database) : KeyDirectoryContract, IClassFixture<FreshDatabase>
{
    private protected override async Task<StoreSet> OpenStoresAsync() => await PostgresStores.OpenAsync(database.ConnectionString);
}
