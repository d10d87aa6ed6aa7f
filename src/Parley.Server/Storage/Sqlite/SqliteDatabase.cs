using System.Data;
using Microsoft.Data.Sqlite;

namespace Parley.Server.Storage.Sqlite;

/// <summary>
/// The relay's SQLite file: WAL journal, <c>synchronous=FULL</c> (a commit survives a process kill and, with
/// a sane disk, a power cut), <c>secure_delete</c> (acknowledged ciphertext is overwritten, not left in free
/// pages). Writes are serialised in-process and run in <c>BEGIN IMMEDIATE</c> transactions; reads run
/// concurrently on pooled connections.
/// </summary>
internal sealed class SqliteDatabase : IDisposable
{
    /// <summary>The database file name inside the data directory.</summary>
    public const string FileName = "relay.db";

    private readonly string connectionString;
    private readonly SemaphoreSlim writeLock = new(1, 1);

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
    }

    public string FilePath { get; }

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

    /// <summary>Runs <paramref name="work"/> on a pooled connection without a transaction.</summary>
    public async Task<T> ReadAsync<T>(Func<SqliteWork, Task<T>> work, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await work(new SqliteWork(connection, null)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in an immediate transaction and commits unless it called
    /// <see cref="SqliteWork.Abort"/> or threw. The caller's token only bounds the wait for the writer slot:
    /// a transaction that has begun always runs to its commit or rollback, so shutdown never half-finishes one.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteWork, Task<T>> work, CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = await OpenAsync(CancellationToken.None).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var transaction = (SqliteTransaction)await connection
                    .BeginTransactionAsync(IsolationLevel.Serializable, CancellationToken.None).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    var unit = new SqliteWork(connection, transaction);
                    var result = await work(unit).ConfigureAwait(false);
                    if (unit.Aborted)
                    {
                        await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                    }
                    else
                    {
                        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                    }

                    return result;
                }
            }
        }
        finally
        {
            writeLock.Release();
        }
    }

    public void Dispose()
    {
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

        writeLock.Dispose();
    }
}
