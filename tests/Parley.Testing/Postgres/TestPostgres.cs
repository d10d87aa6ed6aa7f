using Npgsql;

namespace Parley.Testing.Postgres;

/// <summary>
/// Finds PostgreSQL for the tests: <c>PARLEY_TEST_POSTGRES</c> (set by <c>.ci/run</c> from <c>.ci/postgres-up</c>)
/// when present, else a private cluster started with that same script. Only when neither works do the tests
/// skip, with <see cref="UnavailableReason"/> as the printed reason.
/// </summary>
public static class TestPostgres
{
    // Not the script's default (55432): a developer's own cluster from .ci/run may be running there.
    private const int PrivateSharedPort = 55433;

    private static readonly Lazy<(PostgresServer? Server, string? Reason)> Located = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The server every test may share (fresh database per test class), or null.</summary>
    public static PostgresServer? Shared => Located.Value.Server;

    /// <summary>Why PostgreSQL is not available, or null when it is.</summary>
    public static string? UnavailableReason => Located.Value.Reason;

    /// <summary>The shared server; throws when there is none (tests guard with <see cref="PgFactAttribute"/>).</summary>
    public static PostgresServer Server => Shared ?? throw new InvalidOperationException(UnavailableReason);

    /// <summary>
    /// Starts a private cluster in a new folder on a free port with <c>.ci/postgres-up</c>: for tests that crash
    /// and restart PostgreSQL, which must never disturb the shared server.
    /// </summary>
    public static async Task<PostgresServer> StartPrivateAsync(string name)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"parley-pg-{name}-{Guid.NewGuid():N}"[..40]);
        return await RunScriptAsync(directory, Loopback.FreePort());
    }

    /// <summary>Stops a private cluster and deletes its folder.</summary>
    public static async Task DestroyPrivateAsync(PostgresServer server)
    {
        try
        {
            await server.StopImmediateAsync();
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        if (server.DataDirectory is { } directory && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static (PostgresServer?, string?) Locate()
    {
        string? configuredFailure = null;
        var configured = Environment.GetEnvironmentVariable("PARLEY_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var server = new PostgresServer(
                configured,
                Environment.GetEnvironmentVariable("PARLEY_TEST_PGDATA"),
                Environment.GetEnvironmentVariable("PARLEY_TEST_PGBIN"),
                Environment.GetEnvironmentVariable("PARLEY_TEST_PG_RUNAS"));
            configuredFailure = Probe(server);
            if (configuredFailure is null)
            {
                return (server, null);
            }

            configuredFailure = $"PARLEY_TEST_POSTGRES is set but PostgreSQL does not answer ({configuredFailure}); ";
        }

        try
        {
            var directory = Path.Combine(Path.GetTempPath(), "parley-test-pg-shared");
            var server = RunScriptAsync(directory, PrivateSharedPort).GetAwaiter().GetResult();
            return Probe(server) is { } failure ? (null, $"{configuredFailure}a private PostgreSQL was started but does not answer: {failure}") : (server, null);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or System.ComponentModel.Win32Exception)
        {
            return (null, $"{configuredFailure}PostgreSQL could not be started: {e.Message}");
        }
    }

    private static string? Probe(PostgresServer server)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Timeout = 10, Pooling = false };
            using var connection = new NpgsqlConnection(builder.ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand("SELECT 1", connection);
            command.ExecuteScalar();
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return e.Message;
        }
    }

    private static async Task<PostgresServer> RunScriptAsync(string directory, int port)
    {
        var script = Path.Combine(RepositoryPaths.RepositoryRoot, ".ci", "postgres-up");
        var (exit, output, error) = await Shell.RunAsync(
            "bash", [script, directory, port.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(120));
        if (exit != 0)
        {
            throw new InvalidOperationException($".ci/postgres-up exited {exit}: {error.Trim()}");
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // export NAME='value'
            if (line.StartsWith("export ", StringComparison.Ordinal) && line.IndexOf('=', StringComparison.Ordinal) is var eq and > 7)
            {
                variables[line[7..eq]] = line[(eq + 1)..].Trim('\'');
            }
        }

        return variables.TryGetValue("PARLEY_TEST_POSTGRES", out var connection)
            ? new PostgresServer(connection, variables.GetValueOrDefault("PARLEY_TEST_PGDATA"), variables.GetValueOrDefault("PARLEY_TEST_PGBIN"), variables.GetValueOrDefault("PARLEY_TEST_PG_RUNAS"))
            : throw new InvalidOperationException($".ci/postgres-up printed no PARLEY_TEST_POSTGRES: {output}");
    }
}
