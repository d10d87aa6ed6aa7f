using Npgsql;

namespace Parley.Testing.Postgres;

/// <summary>One-off statements on a fresh, unpooled connection (tests must not share a node's pool).</summary>
public static class Sql
{
    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 10 };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public static async Task<long> CountAsync(string connectionString, string sql) =>
        Convert.ToInt64(await ScalarAsync(connectionString, sql), System.Globalization.CultureInfo.InvariantCulture);
}
