using Parley.Server.Storage.Sqlite;

namespace Parley.Server.Tests.Storage;

/// <summary>TESTPLAN E2 (SQLite profile): the settings that make a committed answer durable, and the migrations.</summary>
public sealed class SqliteDurabilityTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "parley-store-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Every_connection_runs_in_wal_mode_with_synchronous_full()
    {
        using var database = new SqliteDatabase(directory);
        await SqliteSchema.MigrateAsync(database, 0, CancellationToken.None);
        await using var connection = await database.OpenAsync(CancellationToken.None);
        Assert.Equal("wal", await PragmaAsync(connection, "journal_mode"));
        Assert.Equal("2", await PragmaAsync(connection, "synchronous"));   // 2 = FULL
        Assert.Equal("1", await PragmaAsync(connection, "secure_delete"));
        Assert.Equal("1", await PragmaAsync(connection, "foreign_keys"));
    }

    [Fact]
    public async Task Migrations_are_recorded_and_applied_once()
    {
        using (var database = new SqliteDatabase(directory))
        {
            Assert.Equal(SqliteMigrations.All.Count, await SqliteSchema.MigrateAsync(database, 0, CancellationToken.None));
            Assert.Equal(SqliteMigrations.All[^1].Version, await SqliteSchema.VersionAsync(database, CancellationToken.None));
        }

        using var reopened = new SqliteDatabase(directory);
        Assert.Equal(0, await SqliteSchema.MigrateAsync(reopened, 0, CancellationToken.None));
        Assert.Equal(SqliteMigrations.All.Count, await reopened.ReadAsync(w => w.ScalarAsync("SELECT count(*) FROM schema_migrations"), CancellationToken.None));
    }

    [Fact]
    public async Task A_relay_start_applies_migrations_and_reports_ready()
    {
        await using var relay = await TestRelay.StartAsync(dataDirectory: directory);
        Assert.Equal(1, await RelayDatabase.ScalarAsync(relay, "SELECT max(version) FROM schema_migrations"));
        Assert.Contains(relay.Log.Lines, l => l.Contains("schema version 1", StringComparison.Ordinal));
        using var health = await relay.Anonymous().GetAsync(ApiPaths.Health);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private static async Task<string> PragmaAsync(Microsoft.Data.Sqlite.SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA " + name;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
