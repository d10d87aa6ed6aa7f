using System.Data;
using Npgsql;

namespace Parley.Server.Postgres.Storage;

/// <summary>
/// The relay's PostgreSQL database: one pooled <see cref="NpgsqlDataSource"/> per node for the stores, and the
/// connection string of the node's dedicated LISTEN connection. Writes run in short READ COMMITTED
/// transactions that lock the rows they depend on; a transaction the server rolled back for a deadlock or
/// a serialization failure is run again, anything else surfaces (a commit whose outcome is unknown is
/// never retried here: the client retries with the same message id, which is idempotent).
/// </summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    /// <summary>The <c>application_name</c> prefix of a node's pooled connections.</summary>
    public const string PoolApplicationPrefix = "parley-relay:";

    /// <summary>The <c>application_name</c> prefix of a node's LISTEN connection (operators and tests find it by this).</summary>
    public const string ListenApplicationPrefix = "parley-listen:";

    // A node that stops between the statements of a transaction (a long GC pause, SIGSTOP, a hung host) must
    // not hold its row locks for long: PostgreSQL ends such a session, the transaction rolls back, and the
    // paused node's request fails (its client retries elsewhere). Our transactions never wait on a person.
    private const int IdleInTransactionTimeoutMs = 5_000;
    private const int MaxWriteAttempts = 8;
    private const int MaxReadAttempts = 4;

    private readonly NpgsqlDataSource dataSource;

    public PostgresDatabase(string connectionString, string nodeName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeName);
        NodeName = nodeName;

        var pooled = new NpgsqlConnectionStringBuilder(connectionString);
        pooled.ApplicationName ??= PoolApplicationPrefix + nodeName;
        pooled.Options = AddSetting(pooled.Options, "idle_in_transaction_session_timeout", IdleInTransactionTimeoutMs);

        // The relay runs the same few dozen statements all day: let Npgsql prepare them once per connection
        // (server-side parse and plan are most of PostgreSQL's CPU per message otherwise), and skip the
        // per-checkout session reset, since the relay never changes session state on pooled connections.
        if (pooled.MaxAutoPrepare == 0)
        {
            pooled.MaxAutoPrepare = 64;
        }

        pooled.NoResetOnClose = true;
        dataSource = NpgsqlDataSource.Create(pooled);
        Description = $"postgres://{pooled.Host}:{pooled.Port}/{pooled.Database}";

        // The LISTEN connection: never pooled (it must not be handed to a store call), and with a keep-alive
        // query every few seconds so that a dead server or a broken network is noticed while idle.
        var listen = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            KeepAlive = 5,
            ApplicationName = ListenApplicationPrefix + nodeName,
            Timeout = 10,
        };
        ListenConnectionString = listen.ConnectionString;
    }

    /// <summary>This node's name in <c>application_name</c>.</summary>
    public string NodeName { get; }

    /// <summary>Host, port and database, for logs (never the password).</summary>
    public string Description { get; }

    /// <summary>The connection string of the node's dedicated LISTEN connection.</summary>
    public string ListenConnectionString { get; }

    /// <summary>Drops idle pooled connections (after the server restarted, they are all broken).</summary>
    public void ClearPool() => dataSource.Clear();

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Runs <paramref name="work"/> on a pooled connection without an explicit transaction. Reads change
    /// nothing, so one that failed on a broken connection (typically a pooled connection the server's restart
    /// left dead) is simply run again on another.
    /// </summary>
    public async Task<T> ReadAsync<T>(Func<PostgresWork, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    return await work(new PostgresWork(connection, null, cancellationToken)).ConfigureAwait(false);
                }
            }
            catch (NpgsqlException e) when (e.IsTransient && attempt < MaxReadAttempts && !cancellationToken.IsCancellationRequested)
            {
                // Fall through to the pause and the next attempt.
            }

            await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs one idempotent statement on its own: PostgreSQL commits it by itself, atomically, in one round trip.
    /// Because running it twice leaves the same state as running it once, an attempt that failed in a way
    /// that may pass is simply run again, even when it may have committed before the failure was seen.
    /// </summary>
    public async Task<T> ExecuteIdempotentAsync<T>(Func<PostgresWork, Task<T>> statement, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    return await statement(new PostgresWork(connection, null, CancellationToken.None)).ConfigureAwait(false);
                }
            }
            catch (NpgsqlException e) when (IsWorthRetrying(e) && attempt < MaxWriteAttempts && !cancellationToken.IsCancellationRequested)
            {
                // Fall through to the pause and the next attempt.
            }

            await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a READ COMMITTED transaction and commits unless it called
    /// <see cref="PostgresWork.Abort"/> or threw. The caller's token bounds only the wait for a connection:
    /// once the transaction has begun it runs to its commit or rollback. A failure before the commit was sent
    /// leaves nothing behind, so such a transaction is run again when the failure may pass (a dead pooled
    /// connection, a deadlock, a serialization failure, a server still starting); a failure of the commit
    /// itself is ambiguous and surfaces.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<PostgresWork, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var committing = false;
            try
            {
                var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, CancellationToken.None).ConfigureAwait(false);
                    await using (transaction.ConfigureAwait(false))
                    {
                        var unit = new PostgresWork(connection, transaction, CancellationToken.None);
                        var result = await work(unit).ConfigureAwait(false);
                        if (unit.Aborted)
                        {
                            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                        }
                        else
                        {
                            committing = true;
                            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                        }

                        return result;
                    }
                }
            }
            catch (NpgsqlException e) when (!committing && IsWorthRetrying(e) && attempt < MaxWriteAttempts && !cancellationToken.IsCancellationRequested)
            {
                // Nothing of this attempt was committed. Fall through to the pause and the next attempt.
            }

            await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    private static bool IsWorthRetrying(NpgsqlException e) =>
        e.IsTransient || e is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };

    // 5, 10, 20, 40 … ms with jitter: enough for a pool to replace dead connections, short next to a client's timeout.
    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 << Math.Min(attempt, 6)));

    private static string AddSetting(string? options, string name, int value) =>
        options is not null && options.Contains(name, StringComparison.Ordinal)
            ? options
            : $"{options} -c {name}={value}".Trim();
}
