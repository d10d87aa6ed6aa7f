using Microsoft.Data.Sqlite;
using Parley.Server.Accounts;
using Parley.Server.Keys;
using Parley.Server.Messages;
using Parley.Server.Storage.Sqlite;
using Parley.Testing.Relay;

namespace Parley.Server.Postgres.Tests.Contract;

/// <summary>The SQLite stores on a new file in a temporary folder.</summary>
internal sealed class SqliteStores : StoreSet
{
    private readonly string directory;
    private readonly SqliteDatabase database;

    private SqliteStores(string directory, SqliteDatabase database)
    {
        this.directory = directory;
        this.database = database;
        Accounts = new SqliteAccountStore(database);
        Keys = new SqliteKeyDirectory(database);
        Mailbox = new SqliteMailbox(database);
    }

    public override IAccountStore Accounts { get; }

    public override IKeyDirectory Keys { get; }

    public override IMailbox Mailbox { get; }

    public static async Task<StoreSet> OpenAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "parley-store-contract", Guid.NewGuid().ToString("N"));
        var database = new SqliteDatabase(directory);
        await SqliteSchema.MigrateAsync(database, 0, CancellationToken.None);
        return new SqliteStores(directory, database);
    }

    public override async Task AddDeviceAsync(long accountId, int deviceId)
    {
        await database.WriteAsync(
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
                    ("$k", FakeKeys.Ec()),
                    ("$kyber", FakeKeys.Kyber()),
                    ("$s", FakeKeys.Signature()));
                return 0;
            },
            CancellationToken.None);
    }

    public override ValueTask DisposeAsync()
    {
        database.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }

        return ValueTask.CompletedTask;
    }
}
