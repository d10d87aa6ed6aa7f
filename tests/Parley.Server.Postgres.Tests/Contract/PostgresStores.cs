using Parley.Server.Accounts;
using Parley.Server.Keys;
using Parley.Server.Messages;
using Parley.Server.Postgres.Storage;
using Parley.Testing.Relay;

namespace Parley.Server.Postgres.Tests.Contract;

/// <summary>The PostgreSQL stores on a test class's fresh database (a new pool per test, as a new node would have).</summary>
internal sealed class PostgresStores : StoreSet
{
    private PostgresStores(PostgresDatabase database)
    {
        Database = database;
        Accounts = new PostgresAccountStore(database);
        Keys = new PostgresKeyDirectory(database);
        Mailbox = new PostgresMailbox(database);
    }

    public PostgresDatabase Database { get; }

    public override IAccountStore Accounts { get; }

    public override IKeyDirectory Keys { get; }

    public override IMailbox Mailbox { get; }

    public static async Task<PostgresStores> OpenAsync(string connectionString, string node = "contract")
    {
        var database = new PostgresDatabase(connectionString, node);
        await PostgresSchema.MigrateAsync(database, 0, CancellationToken.None);
        return new PostgresStores(database);
    }

    public override Task AddDeviceAsync(long accountId, int deviceId) =>
        Database.WriteAsync(
            async work =>
            {
                (string, object?)[] args = [("a", accountId), ("d", deviceId), ("k", FakeKeys.Ec()), ("kyber", FakeKeys.Kyber()), ("s", FakeKeys.Signature())];
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

    public override ValueTask DisposeAsync() => Database.DisposeAsync();
}
