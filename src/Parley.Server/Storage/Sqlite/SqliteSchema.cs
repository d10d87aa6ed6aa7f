using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Parley.Server.Storage.Sqlite;

/// <summary>Puts the database in WAL mode and applies pending migrations; run once before serving.</summary>
internal static class SqliteSchema
{
    public static async Task<int> MigrateAsync(SqliteDatabase database, long nowMs, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // journal_mode is persistent in the file; synchronous is per connection (SqliteDatabase.OpenAsync).
            var mode = await ScalarTextAsync(connection, "PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"SQLite refused WAL mode (journal_mode = {mode}).");
            }

            await ExecuteAsync(
                connection,
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);",
                cancellationToken).ConfigureAwait(false);
        }

        var applied = 0;
        foreach (var (version, sql) in SqliteMigrations.All)
        {
            var ran = await database.WriteAsync(
                async work =>
                {
                    if (await work.ScalarAsync("SELECT count(*) FROM schema_migrations WHERE version = $v", ("$v", version)).ConfigureAwait(false) > 0)
                    {
                        return false;
                    }

                    await work.ExecuteAsync(sql).ConfigureAwait(false);
                    await work.ExecuteAsync(
                        "INSERT INTO schema_migrations (version, applied_at) VALUES ($v, $t)", ("$v", version), ("$t", nowMs)).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
            applied += ran ? 1 : 0;
        }

        return applied;
    }

    /// <summary>The highest applied migration version.</summary>
    public static Task<long> VersionAsync(SqliteDatabase database, CancellationToken cancellationToken) =>
        database.ReadAsync(work => work.ScalarAsync("SELECT coalesce(max(version), 0) FROM schema_migrations"), cancellationToken);

    private static async Task<string> ScalarTextAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
