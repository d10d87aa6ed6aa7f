using Npgsql;

namespace Parley.Server.Postgres.Storage;

/// <summary>A connection (and, for writes, its transaction) handed to one unit of work.</summary>
internal sealed class PostgresWork(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
{
    /// <summary>True once the work asked for a rollback.</summary>
    public bool Aborted { get; private set; }

    /// <summary>Cancels reads; writes pass <see cref="CancellationToken.None"/> (a begun transaction finishes).</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Roll the transaction back instead of committing it.</summary>
    public void Abort() => Aborted = true;

    /// <summary>A command in this unit's transaction with <paramref name="sql"/> (named <c>@parameters</c>).</summary>
    public NpgsqlCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>A batch of statements sent in one round trip, in this unit's transaction.</summary>
    public NpgsqlBatch Batch() => new(connection, transaction);

    public async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(CancellationToken).ConfigureAwait(false);
    }

    public async Task<long> ScalarAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        var value = await command.ExecuteScalarAsync(CancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The first column of the first row as text, or null.</summary>
    public async Task<string?> TextAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        var value = await command.ExecuteScalarAsync(CancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? null : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
