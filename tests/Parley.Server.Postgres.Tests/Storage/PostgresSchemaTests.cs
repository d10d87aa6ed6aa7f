using Parley.Server.Postgres.Storage;

namespace Parley.Server.Postgres.Tests.Storage;

/// <summary>Migrations and the durability settings the relay insists on (TESTPLAN E2's assertion).</summary>
[RequiresPostgres]
public sealed class PostgresSchemaTests(FreshDatabase database) : IClassFixture<FreshDatabase>
{
    [PgFact]
    public async Task The_test_server_and_the_relays_sessions_commit_synchronously_with_fsync_on()
    {
        await using var relay = new PostgresDatabase(database.ConnectionString, "schema-test");

        var settings = await PostgresSchema.CheckDurabilityAsync(relay, CancellationToken.None);

        Assert.Equal("on", settings.SynchronousCommit);
        Assert.Equal("on", settings.Fsync);
        Assert.True(settings.IsDurable);
    }

    [PgFact]
    public async Task The_relay_refuses_a_database_that_acknowledges_commits_before_they_are_durable()
    {
        var lax = await TestPostgres.Server.CreateDatabaseAsync("parley_lax");
        try
        {
            var name = new Npgsql.NpgsqlConnectionStringBuilder(lax).Database;
            await Sql.ScalarAsync(lax, $"ALTER DATABASE \"{name}\" SET synchronous_commit = off");
            await using var relay = new PostgresDatabase(lax, "lax");

            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresSchema.CheckDurabilityAsync(relay, CancellationToken.None));

            Assert.Contains("synchronous_commit = off", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            await TestPostgres.Server.DropDatabaseAsync(lax);
        }
    }

    [Theory]
    [InlineData("on", "on", true)]
    [InlineData("remote_apply", "on", true)]
    [InlineData("local", "on", true)]
    [InlineData("off", "on", false)]
    [InlineData("on", "off", false)]
    [InlineData("", "on", false)]
    public void Durable_means_fsync_on_and_synchronous_commit_not_off(string synchronousCommit, string fsync, bool durable) =>
        Assert.Equal(durable, new DurabilitySettings(synchronousCommit, fsync).IsDurable);

    [PgFact]
    public async Task Nodes_that_start_together_apply_each_migration_once()
    {
        var fresh = await TestPostgres.Server.CreateDatabaseAsync("parley_migrate");
        try
        {
            var nodes = Enumerable.Range(0, 4).Select(i => new PostgresDatabase(fresh, $"m{i}")).ToList();
            var applied = await Task.WhenAll(nodes.Select(n => Task.Run(() => PostgresSchema.MigrateAsync(n, 1, CancellationToken.None))));

            Assert.Equal(PostgresMigrations.All.Count, applied.Sum());
            Assert.Equal(0, await PostgresSchema.MigrateAsync(nodes[0], 2, CancellationToken.None));
            Assert.Equal(PostgresMigrations.All[^1].Version, await PostgresSchema.VersionAsync(nodes[1], CancellationToken.None));
            Assert.Equal(PostgresMigrations.All.Count, await Sql.CountAsync(fresh, "SELECT count(*) FROM schema_migrations"));
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
        finally
        {
            await TestPostgres.Server.DropDatabaseAsync(fresh);
        }
    }
}
