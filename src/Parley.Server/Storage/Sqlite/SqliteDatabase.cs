using System.Collections.Concurrent;
using System.Data;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Parley.Server.Storage.Sqlite;

/// <summary>
/// The relay's SQLite file: WAL journal, <c>synchronous=FULL</c> (a commit survives a process kill and, with
/// a sane disk, a power cut), <c>secure_delete</c> (acknowledged ciphertext is overwritten, not left in free
/// pages). Reads run concurrently on pooled connections. Writes go through one in-process writer with
/// <b>group commit</b>: the writer takes every unit of work that is waiting (up to <see cref="MaxBatch"/>), runs
/// each in its own savepoint of one <c>BEGIN IMMEDIATE</c> transaction, commits once (one fsync for the batch),
/// and only then completes each caller. A unit that aborts or throws is rolled back to its savepoint alone.
/// </summary>
internal sealed class SqliteDatabase : IDisposable
{
    /// <summary>The database file name inside the data directory.</summary>
    public const string FileName = "relay.db";

    /// <summary>Most units of work committed together.</summary>
    public const int MaxBatch = 128;

    /// <summary>Open read connections kept for reuse (each has its pragmas set once).</summary>
    private const int MaxIdleReaders = 16;

    private readonly string connectionString;
    private readonly Channel<IWriteJob> writes = Channel.CreateUnbounded<IWriteJob>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task writer;
    private readonly ConcurrentBag<SqliteConnection> idleReaders = [];
    private SqliteConnection? writerConnection;
    private long commits;

    public SqliteDatabase(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        FilePath = Path.GetFullPath(Path.Combine(dataDirectory, FileName));
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        writer = Task.Run(WriteLoopAsync);
    }

    private interface IWriteJob
    {
        bool Cancelled { get; }

        /// <summary>Runs the work; true when it is to be kept (not aborted).</summary>
        Task<bool> RunAsync(SqliteWork unit);

        void Complete();

        void Fail(Exception error);
    }

    public string FilePath { get; }

    /// <summary>Transactions committed so far (each one fsync): fewer than the units of work when they are grouped.</summary>
    public long Commits => Interlocked.Read(ref commits);

    /// <summary>Opens a connection with the per-connection pragmas set.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; PRAGMA busy_timeout = 10000;";
            await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> without a transaction on an open read connection, kept for the next read
    /// afterwards (opening one and setting its pragmas cost more than many of the relay's reads).
    /// </summary>
    public async Task<T> ReadAsync<T>(Func<SqliteWork, Task<T>> work, CancellationToken cancellationToken)
    {
        if (!idleReaders.TryTake(out var connection))
        {
            connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        }

        T result;
        try
        {
            result = await work(new SqliteWork(connection, null)).ConfigureAwait(false);
        }
        catch
        {
            // A failed read may leave a statement open on it: not worth keeping.
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        if (idleReaders.Count < MaxIdleReaders)
        {
            idleReaders.Add(connection);
        }
        else
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in the writer's transaction (its own savepoint) and returns once that
    /// transaction has committed, unless it called <see cref="SqliteWork.Abort"/> or threw (then only its own
    /// changes are rolled back, and it returns or throws at once with the batch). The caller's token only bounds
    /// the wait for the writer: a unit that has begun always runs to its commit or rollback, so shutdown never
    /// half-finishes one.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteWork, Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var job = new WriteJob<T>(work, cancellationToken);
        ObjectDisposedException.ThrowIf(!writes.Writer.TryWrite(job), this);
        return job.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<IWriteJob>(MaxBatch);
        while (await writes.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && writes.Reader.TryRead(out var job))
            {
                if (job.Cancelled)
                {
                    job.Fail(new OperationCanceledException("The wait for the database writer was cancelled."));
                    continue;
                }

                batch.Add(job);
            }

            if (batch.Count > 0)
            {
                await CommitBatchAsync(batch).ConfigureAwait(false);
                batch.Clear();
            }
        }
    }

    private async Task CommitBatchAsync(List<IWriteJob> batch)
    {
        var finished = new List<(IWriteJob Job, Exception? Error)>(batch.Count);
        try
        {
            // One connection for the writer's life (reopened after a failed batch).
            var connection = writerConnection ??= await OpenAsync(CancellationToken.None).ConfigureAwait(false);
            var transaction = (SqliteTransaction)await connection
                .BeginTransactionAsync(IsolationLevel.Serializable, CancellationToken.None).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var kept = 0;
                foreach (var job in batch)
                {
                    var unit = new SqliteWork(connection, transaction);
                    await unit.ExecuteAsync("SAVEPOINT unit").ConfigureAwait(false);
                    Exception? error = null;
                    var keep = false;
                    try
                    {
                        keep = await job.RunAsync(unit).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        error = e;
                    }

                    // A failed statement may have ended the transaction (SQLite rolls back on some errors);
                    // then ROLLBACK TO throws and the whole batch fails below, nothing half-kept.
                    await unit.ExecuteAsync(keep && error is null ? "RELEASE unit" : "ROLLBACK TO unit; RELEASE unit").ConfigureAwait(false);
                    kept += keep && error is null ? 1 : 0;
                    finished.Add((job, error));
                }

                if (kept > 0)
                {
                    await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                    Interlocked.Increment(ref commits);
                }
                else
                {
                    await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The transaction did not commit (a failed commit, a transaction SQLite ended itself, a closed file):
            // no unit of this batch took effect, and the writer goes on with the next batch on a new connection.
            if (writerConnection is not null)
            {
                await writerConnection.DisposeAsync().ConfigureAwait(false);
                writerConnection = null;
            }

            foreach (var job in batch)
            {
                job.Fail(e);
            }

            return;
        }

        foreach (var (job, error) in finished)
        {
            if (error is null)
            {
                job.Complete();
            }
            else
            {
                job.Fail(error);
            }
        }
    }

    /// <summary>One caller's unit of work and the task it waits on.</summary>
    private sealed class WriteJob<T>(Func<SqliteWork, Task<T>> work, CancellationToken cancellationToken) : IWriteJob
    {
        private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T result = default!;

        public Task<T> Task => completion.Task;

        public bool Cancelled => cancellationToken.IsCancellationRequested;

        public async Task<bool> RunAsync(SqliteWork unit)
        {
            result = await work(unit).ConfigureAwait(false);
            return !unit.Aborted;
        }

        // An aborted unit returns its result too (it rolled back only its own changes).
        public void Complete() => completion.TrySetResult(result);

        public void Fail(Exception error) => completion.TrySetException(error);
    }

    public void Dispose()
    {
        // Units already queued still run to their commit; new ones are refused.
        writes.Writer.TryComplete();
        writer.GetAwaiter().GetResult();
        writerConnection?.Dispose();
        while (idleReaders.TryTake(out var reader))
        {
            reader.Dispose();
        }

        // Copy the WAL into the database and truncate it to zero bytes: otherwise old frames (including
        // since-acknowledged ciphertext) would linger in the -wal file until overwritten.
        using (var connection = new SqliteConnection(connectionString))
        {
            try
            {
                connection.Open();
                using var checkpoint = connection.CreateCommand();
                checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                checkpoint.ExecuteNonQuery();
            }
            catch (SqliteException)
            {
                // Best effort at shutdown: the WAL is replayed on the next start either way.
            }

            SqliteConnection.ClearPool(connection);
        }

    }
}
