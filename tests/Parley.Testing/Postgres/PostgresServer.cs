using Npgsql;

namespace Parley.Testing.Postgres;

/// <summary>
/// A PostgreSQL server the tests may use: the one <c>.ci/postgres-up</c> started (its printed environment), or
/// a private one. Hands out a fresh database per test class. A private cluster can be crashed and restarted.
/// </summary>
public sealed class PostgresServer
{
    public PostgresServer(string connectionString, string? dataDirectory, string? binDirectory, string? runAs)
    {
        ConnectionString = connectionString;
        DataDirectory = string.IsNullOrEmpty(dataDirectory) ? null : dataDirectory;
        BinDirectory = string.IsNullOrEmpty(binDirectory) ? null : binDirectory;
        RunAs = string.IsNullOrEmpty(runAs) ? null : runAs;
        Port = new NpgsqlConnectionStringBuilder(connectionString).Port;
    }

    /// <summary>The <c>parley</c> role on the <c>parley</c> database (the role may create databases).</summary>
    public string ConnectionString { get; }

    public string? DataDirectory { get; }

    public string? BinDirectory { get; }

    /// <summary>The system user that owns the cluster (when the tests run as root), or null.</summary>
    public string? RunAs { get; }

    public int Port { get; }

    /// <summary>Creates an empty database owned by the test role; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(60, prefix.Length + 33)].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, ending its sessions.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>Runs one statement on <paramref name="connectionString"/> (default: this server's).</summary>
    public Task<object?> ScalarAsync(string sql, string? connectionString = null) => Sql.ScalarAsync(connectionString ?? ConnectionString, sql);

    /// <summary><c>pg_ctl stop -m immediate</c>: the server dies without a checkpoint, as in a crash.</summary>
    public Task StopImmediateAsync() => PgCtlAsync("stop", "-m", "immediate");

    /// <summary>Starts the stopped cluster again (crash recovery replays the WAL).</summary>
    public Task StartAsync() => PgCtlAsync("start", "-w", "-t", "60", "-l", Path.Combine(DataDirectory ?? "", "server.log"));

    private async Task PgCtlAsync(params string[] arguments)
    {
        if (DataDirectory is null || BinDirectory is null)
        {
            throw new InvalidOperationException("This PostgreSQL server was not started by the tests; it cannot be stopped or started.");
        }

        var pgCtl = Path.Combine(BinDirectory, "pg_ctl");
        string[] command = [pgCtl, "-D", DataDirectory, .. arguments];
        var (file, args) = RunAs is null ? (command[0], command[1..]) : ("runuser", ["-u", RunAs, "--", .. command]);
        var (exit, output, error) = await Shell.RunAsync(file, args, TimeSpan.FromSeconds(90));
        if (exit != 0)
        {
            throw new InvalidOperationException($"pg_ctl {string.Join(' ', arguments)} failed ({exit}): {output} {error}");
        }
    }
}
