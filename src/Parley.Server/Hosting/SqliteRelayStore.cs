using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Server.Accounts;
using Parley.Server.Keys;
using Parley.Server.Messages;
using Parley.Server.Operations;
using Parley.Server.Realtime;
using Parley.Server.Storage.Sqlite;

namespace Parley.Server.Hosting;

/// <summary>The default backend: one SQLite file in the data directory and in-process wake-ups (one node).</summary>
public sealed class SqliteRelayStore : RelayStore
{
    /// <summary>The name that selects this store.</summary>
    public const string StoreName = "sqlite";

    /// <param name="dataDirectory">The folder of the database file (created when absent).</param>
    public SqliteRelayStore(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        DataDirectory = dataDirectory;
    }

    public override string Name => StoreName;

    /// <summary>The folder of the database file.</summary>
    public string DataDirectory { get; }

    /// <summary>The database file.</summary>
    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, SqliteDatabase.FileName));

    internal override void AddServices(IServiceCollection services, RelayOptions options)
    {
        // Created by the container (not passed as an instance) so that it is disposed, and checkpointed, at shutdown.
        services.AddSingleton(_ => new SqliteDatabase(DataDirectory));
        services.AddSingleton<IAccountStore, SqliteAccountStore>();
        services.AddSingleton<IKeyDirectory, SqliteKeyDirectory>();
        services.AddSingleton<IMailbox, SqliteMailbox>();
        services.AddSingleton<IDeliveryNotifier, InProcessDeliveryNotifier>();
    }

    internal override async Task PrepareAsync(IServiceProvider services, ILogger operatorLog, long nowMs, CancellationToken cancellationToken)
    {
        var database = services.GetRequiredService<SqliteDatabase>();
        var applied = await SqliteSchema.MigrateAsync(database, nowMs, cancellationToken).ConfigureAwait(false);
        var version = await SqliteSchema.VersionAsync(database, cancellationToken).ConfigureAwait(false);
        RelayLog.StoreReady(operatorLog, database.FilePath, version, applied);
    }
}
