using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Parley.Server.Storage.Sqlite;

/// <summary>A connection (and, for writes, its transaction) handed to one unit of work.</summary>
/// <remarks>
/// Commands are kept per connection and per SQL text, so each statement is parsed and planned once per connection
/// (the relay's connections live long; parsing was a fifth of its CPU). Callers must not dispose them; the
/// connection's close finalizes them. A connection is used by one unit at a time, so a cached command is never
/// shared between two callers.
/// </remarks>
internal sealed class SqliteWork(SqliteConnection connection, SqliteTransaction? transaction)
{
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> Statements = new();

    /// <summary>True once the work asked for a rollback.</summary>
    public bool Aborted { get; private set; }

    /// <summary>Roll the transaction back instead of committing it.</summary>
    public void Abort() => Aborted = true;

    /// <summary>
    /// The connection's command for <paramref name="sql"/> (prepared on first use), in this unit's transaction, with
    /// the given parameters. Not to be disposed.
    /// </summary>
    public SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var cache = Statements.GetValue(connection, _ => new Dictionary<string, SqliteCommand>(StringComparer.Ordinal));
        if (!cache.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            cache[sql] = command;
        }

        command.Transaction = transaction;
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public async Task<long> ScalarAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = Command(sql, parameters);
        var value = await command.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false);
        return value is null or DBNull ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
