using Microsoft.Data.Sqlite;

namespace Parley.Server.Storage.Sqlite;

/// <summary>A connection (and, for writes, its transaction) handed to one unit of work.</summary>
internal sealed class SqliteWork(SqliteConnection connection, SqliteTransaction? transaction)
{
    /// <summary>True once the work asked for a rollback.</summary>
    public bool Aborted { get; private set; }

    /// <summary>Roll the transaction back instead of committing it.</summary>
    public void Abort() => Aborted = true;

    /// <summary>A command in this unit's transaction with <paramref name="sql"/> and the given parameters.</summary>
    public SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public async Task<long> ScalarAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        var value = await command.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false);
        return value is null or DBNull ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
