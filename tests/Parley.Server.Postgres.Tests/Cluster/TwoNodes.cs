namespace Parley.Server.Postgres.Tests.Cluster;

/// <summary>Two <c>parley server</c> processes on one fresh database of the shared PostgreSQL.</summary>
internal sealed class TwoNodes : IAsyncDisposable
{
    private TwoNodes(string connectionString, RelayNode a, RelayNode b, HttpClient http)
    {
        ConnectionString = connectionString;
        A = a;
        B = b;
        Http = http;
    }

    public string ConnectionString { get; }

    public RelayNode A { get; }

    public RelayNode B { get; }

    public HttpClient Http { get; }

    /// <summary>
    /// Starts both nodes. Unless <paramref name="environment"/> says otherwise, limits are out of the way and the
    /// periodic mailbox re-check is 10 minutes, so anything delivered promptly was pushed by a wake-up.
    /// </summary>
    public static async Task<TwoNodes> StartAsync(IReadOnlyDictionary<string, string>? environment = null)
    {
        var connectionString = await TestPostgres.Server.CreateDatabaseAsync("parley_cluster");
        var settings = new Dictionary<string, string>
        {
            ["Parley__Limits__RequestsPerIp"] = "100000000",
            ["Parley__Limits__RequestsPerAccount"] = "100000000",
            ["Parley__Limits__RegistrationsPerIp"] = "100000000",
            ["Parley__Limits__StreamRecheckInterval"] = "00:10:00",
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var a = await RelayNode.StartAsync("a", connectionString, settings);
        var b = await RelayNode.StartAsync("b", connectionString, settings);
        return new TwoNodes(connectionString, a, b, new HttpClient { Timeout = TimeSpan.FromSeconds(30) });
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await A.DisposeAsync();
        await B.DisposeAsync();
        await TestPostgres.Server.DropDatabaseAsync(ConnectionString);
    }
}
