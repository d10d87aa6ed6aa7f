using Microsoft.Data.Sqlite;
using Parley.Server.Storage.Sqlite;

namespace Parley.Server.Tests.Storage;

/// <summary>The SQLite writer's group commit: units queued together share one commit, and each fails alone.</summary>
public sealed class GroupCommitTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "parley-group-commit", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Concurrent_units_share_commits_and_a_failing_or_aborting_unit_rolls_back_only_itself()
    {
        using var database = new SqliteDatabase(directory);
        await database.WriteAsync(w => w.ExecuteAsync("CREATE TABLE t (v INTEGER NOT NULL UNIQUE)"), CancellationToken.None);
        var before = database.Commits;

        const int units = 200;
        var tasks = Enumerable.Range(0, units).Select(i => database.WriteAsync(
            async w =>
            {
                // Unit 50 breaks the UNIQUE rule (10 is inserted by unit 10); unit 60 inserts, then aborts.
                await w.ExecuteAsync("INSERT INTO t (v) VALUES ($v)", ("$v", i == 50 ? 10 : i));
                if (i == 60)
                {
                    w.Abort();
                }

                return i;
            },
            CancellationToken.None)).ToList();

        var duplicate = await Assert.ThrowsAsync<SqliteException>(() => tasks[50]);
        Assert.Equal(19, duplicate.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Equal(60, await tasks[60]);
        foreach (var i in Enumerable.Range(0, units).Where(i => i is not 50))
        {
            Assert.Equal(i, await tasks[i]);
        }

        var stored = await database.ReadAsync(
            async w =>
            {
                var command = w.Command("SELECT v FROM t ORDER BY v");
                using var reader = await command.ExecuteReaderAsync();
                var values = new List<long>();
                while (await reader.ReadAsync())
                {
                    values.Add(reader.GetInt64(0));
                }

                return values;
            },
            CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, units).Where(i => i is not 50 and not 60).Select(i => (long)i), stored);

        // 199 kept units, far fewer commits (each one fsync).
        var commits = database.Commits - before;
        Assert.InRange(commits, 2, units / 4);
    }

    [Fact]
    public async Task A_unit_whose_wait_was_cancelled_never_runs()
    {
        using var database = new SqliteDatabase(directory);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var ran = false;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => database.WriteAsync(_ => Task.FromResult(ran = true), cancelled.Token));
        Assert.False(ran);
    }
}
