using Parley.Server.Accounts;
using Parley.Server.Keys;
using Parley.Server.Messages;
using Parley.Server.Storage.Sqlite;

namespace Parley.Server.Tests.Storage;

/// <summary>The store contract on SQLite: a new database file per test.</summary>
public sealed class SqliteStoreContractTests : RelayStoreContractTests
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "parley-store-tests", Guid.NewGuid().ToString("N"));
    private SqliteDatabase? database;

    public override Task DisposeAsync()
    {
        database?.Dispose();
        Directory.Delete(directory, recursive: true);
        return Task.CompletedTask;
    }

    private protected override async Task<(IAccountStore, IKeyDirectory, IMailbox)> CreateStoresAsync()
    {
        database = new SqliteDatabase(directory);
        await SqliteSchema.MigrateAsync(database, 0, CancellationToken.None);
        return (new SqliteAccountStore(database), new SqliteKeyDirectory(database), new SqliteMailbox(database));
    }

    private protected override Task AddDeviceAsync(long accountId, int deviceId) =>
        database!.WriteAsync(
            async work =>
            {
                await work.ExecuteAsync(
                    """
                    INSERT INTO devices (account_id, device_id, credential_hash, registration_id, identity_key, created_at)
                    VALUES ($a, $d, randomblob(32), 42, $k, 0);
                    INSERT INTO signed_prekeys (account_id, device_id, key_id, public_key, signature) VALUES ($a, $d, 1, $k, $s);
                    INSERT INTO last_resort_kyber_prekeys (account_id, device_id, key_id, public_key, signature) VALUES ($a, $d, 2, $kyber, $s);
                    """,
                    ("$a", accountId),
                    ("$d", deviceId),
                    ("$k", TestKeys.Ec()),
                    ("$kyber", TestKeys.KyberKey()),
                    ("$s", TestKeys.Signature()));
                return 0;
            },
            CancellationToken.None);
}
