using Xunit;

namespace Parley.Testing.Postgres;

/// <summary>A class fixture: an empty database on the shared server for one test class, dropped afterwards.</summary>
public sealed class FreshDatabase : IAsyncLifetime
{
    /// <summary>Its connection string (empty when PostgreSQL is unavailable and the tests are skipped).</summary>
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (TestPostgres.Shared is { } server)
        {
            ConnectionString = await server.CreateDatabaseAsync("parley_test");
        }
    }

    public async Task DisposeAsync()
    {
        if (TestPostgres.Shared is { } server && ConnectionString.Length > 0)
        {
            await server.DropDatabaseAsync(ConnectionString);
        }
    }
}
