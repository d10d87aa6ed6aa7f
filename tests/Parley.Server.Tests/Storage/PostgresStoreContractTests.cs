using Parley.Server.Accounts;
using Parley.Server.Keys;
using Parley.Server.Messages;
using Parley.Server.Postgres.Storage;
using Parley.Testing.Postgres;

namespace Parley.Server.Tests.Storage;

/// <summary>
/// The store contract on PostgreSQL: a new database per test on the test server (<c>PARLEY_TEST_POSTGRES</c>,
/// else a private cluster from <c>.ci/postgres-up</c>); reported skipped with the reason only when neither works.
/// </summary>
[RequiresPostgres]
public sealed class PostgresStoreContractTests : RelayStoreContractTests
{
    private string? connectionString;
    private PostgresDatabase? database;

    public override async Task DisposeAsync()
    {
        if (database is not null)
        {
            await database.DisposeAsync();
        }

        if (connectionString is not null)
        {
            await TestPostgres.Server.DropDatabaseAsync(connectionString);
        }
    }

    private protected override async Task<(IAccountStore, IKeyDirectory, IMailbox)> CreateStoresAsync()
    {
        connectionString = await TestPostgres.Server.CreateDatabaseAsync("parley_contract");
        database = new PostgresDatabase(connectionString, "contract");
        await PostgresSchema.MigrateAsync(database, 0, CancellationToken.None);
        return (new PostgresAccountStore(database), new PostgresKeyDirectory(database), new PostgresMailbox(database));
    }

    private protected override Task AddDeviceAsync(long accountId, int deviceId) =>
        database!.WriteAsync(
            async work =>
            {
                (string, object?)[] args = [("a", accountId), ("d", deviceId), ("k", TestKeys.Ec()), ("kyber", TestKeys.KyberKey()), ("s", TestKeys.Signature())];
                await work.ExecuteAsync(
                    """
                    INSERT INTO devices (account_id, device_id, credential_hash, registration_id, identity_key, created_at)
                    VALUES (@a, @d, decode(repeat('ab', 32), 'hex'), 42, @k, 0)
                    """,
                    args);
                await work.ExecuteAsync("INSERT INTO signed_prekeys (account_id, device_id, key_id, public_key, signature) VALUES (@a, @d, 1, @k, @s)", args);
                await work.ExecuteAsync("INSERT INTO last_resort_kyber_prekeys (account_id, device_id, key_id, public_key, signature) VALUES (@a, @d, 2, @kyber, @s)", args);
                return 0;
            },
            CancellationToken.None);
}
