using Parley.Server.Accounts;
using Parley.Server.Keys;
using Parley.Server.Messages;
using Parley.Server.Storage.Sqlite;

namespace Parley.Server.Tests.Storage;

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
}
