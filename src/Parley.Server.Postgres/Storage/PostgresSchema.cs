namespace Parley.Server.Postgres.Storage;

/// <summary>Checks the server's durability settings and applies pending migrations; run once per node before serving.</summary>
internal static class PostgresSchema
{
    // Any constant will do; it only has to be the same on every node.
    private const long MigrationLockKey = 0x5061_726C_6579_4D31; // "ParleyM1"

    /// <summary>
    /// The relay answers a sender only after its envelopes are committed, and that answer means "durable": a
    /// server that acknowledges commits before they reach disk (<c>synchronous_commit = off</c>) or that
    /// never flushes (<c>fsync = off</c>) would turn a crash into silent loss. The relay refuses to start on one.
    /// </summary>
    public static async Task<DurabilitySettings> CheckDurabilityAsync(PostgresDatabase database, CancellationToken cancellationToken)
    {
        var settings = await database.ReadAsync(
            async work => new DurabilitySettings(
                await work.TextAsync("SHOW synchronous_commit").ConfigureAwait(false) ?? "",
                await work.TextAsync("SHOW fsync").ConfigureAwait(false) ?? ""),
            cancellationToken).ConfigureAwait(false);
        if (!settings.IsDurable)
        {
            throw new InvalidOperationException(
                $"PostgreSQL at {database.Description} runs with synchronous_commit = {settings.SynchronousCommit} and fsync = {settings.Fsync}; " +
                "the relay needs both on, since it tells a sender a message is stored only once it is durable. See docs/operations.md.");
        }

        return settings;
    }

    /// <summary>Applies the migrations this database lacks; returns how many ran.</summary>
    public static async Task<int> MigrateAsync(PostgresDatabase database, long nowMs, CancellationToken cancellationToken)
    {
        var applied = 0;
        foreach (var (version, sql) in PostgresMigrations.All)
        {
            var ran = await database.WriteAsync(
                async work =>
                {
                    await work.ExecuteAsync("SELECT pg_advisory_xact_lock(@k)", ("k", MigrationLockKey)).ConfigureAwait(false);
                    await work.ExecuteAsync(
                        "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL)").ConfigureAwait(false);
                    if (await work.ScalarAsync("SELECT count(*) FROM schema_migrations WHERE version = @v", ("v", version)).ConfigureAwait(false) > 0)
                    {
                        return false;
                    }

                    await work.ExecuteAsync(sql).ConfigureAwait(false);
                    await work.ExecuteAsync(
                        "INSERT INTO schema_migrations (version, applied_at) VALUES (@v, @t)", ("v", version), ("t", nowMs)).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
            applied += ran ? 1 : 0;
        }

        return applied;
    }

    /// <summary>The highest applied migration version.</summary>
    public static Task<long> VersionAsync(PostgresDatabase database, CancellationToken cancellationToken) =>
        database.ReadAsync(work => work.ScalarAsync("SELECT coalesce(max(version), 0) FROM schema_migrations"), cancellationToken);
}

/// <summary>The server settings that decide whether a commit survives a crash.</summary>
internal sealed record DurabilitySettings(string SynchronousCommit, string Fsync)
{
    /// <summary>
    /// <c>fsync</c> on, and <c>synchronous_commit</c> anything but <c>off</c> (<c>on</c>, or <c>local</c> /
    /// <c>remote_write</c> / <c>remote_apply</c> with synchronous replicas).
    /// </summary>
    public bool IsDurable =>
        string.Equals(Fsync, "on", StringComparison.OrdinalIgnoreCase)
        && !string.Equals(SynchronousCommit, "off", StringComparison.OrdinalIgnoreCase)
        && SynchronousCommit.Length > 0;
}
