using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Parley.Server.Accounts;
using Parley.Server.Hosting;
using Parley.Server.Keys;
using Parley.Server.Messages;
using Parley.Server.Postgres.Operations;
using Parley.Server.Postgres.Realtime;
using Parley.Server.Postgres.Storage;
using Parley.Server.Realtime;

namespace Parley.Server.Postgres;

/// <summary>
/// The PostgreSQL backend: accounts, prekeys and mailboxes in one PostgreSQL database shared by any number
/// of stateless relay nodes, and wake-ups between the nodes over LISTEN/NOTIFY (DESIGN.md §2.5,
/// docs/operations.md). Selected with <c>parley server --store postgres --postgres "Host=…;Database=…"</c>,
/// or <c>Parley:Store=postgres</c> plus <c>ConnectionStrings:Parley</c> in any ASP.NET Core configuration source.
/// </summary>
public sealed class PostgresRelayStore : RelayStore
{
    /// <summary>The name that selects this store.</summary>
    public const string StoreName = "postgres";

    /// <summary>The connection string's name: <c>ConnectionStrings:Parley</c> (env: <c>ConnectionStrings__Parley</c>).</summary>
    public const string ConnectionStringName = "Parley";

    /// <summary>The configuration key of the node's name (env: <c>Parley__Node</c>).</summary>
    public const string NodeNameKey = "Parley:Node";

    private readonly string connectionString;

    /// <param name="connectionString">An Npgsql connection string (<c>Host=…;Database=…;Username=…;Password=…</c>).</param>
    /// <param name="nodeName">This node's name in PostgreSQL's <c>application_name</c>; default host name and process id.</param>
    public PostgresRelayStore(string connectionString, string? nodeName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            // Npgsql's message names the bad keyword, never the value: safe to show (no password in it).
            throw new InvalidOperationException($"The PostgreSQL connection string is not valid: {e.Message}", e);
        }

        this.connectionString = connectionString;
        NodeName = string.IsNullOrWhiteSpace(nodeName)
            ? Environment.MachineName + "-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture)
            : nodeName;
    }

    public override string Name => StoreName;

    /// <summary>This node's name (in <c>application_name</c>: <c>parley-relay:NAME</c>, <c>parley-listen:NAME</c>).</summary>
    public string NodeName { get; }

    /// <summary>Builds the store from <c>ConnectionStrings:Parley</c> and the optional <c>Parley:Node</c>.</summary>
    public static PostgresRelayStore FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connection = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connection))
        {
            throw new InvalidOperationException(
                "The postgres store needs a connection string: --postgres \"Host=…;Database=…\", or ConnectionStrings__Parley in the environment.");
        }

        return new PostgresRelayStore(connection, configuration[NodeNameKey]);
    }

    internal override void AddServices(IServiceCollection services, RelayOptions options)
    {
        services.AddSingleton(_ => new PostgresDatabase(connectionString, NodeName));
        services.AddSingleton<IAccountStore, PostgresAccountStore>();
        services.AddSingleton<IKeyDirectory, PostgresKeyDirectory>();
        services.AddSingleton<IMailbox, PostgresMailbox>();
        services.AddSingleton<PostgresWakeUps>();
        services.AddSingleton<IDeliveryNotifier>(provider => provider.GetRequiredService<PostgresWakeUps>());
        services.AddHostedService(provider => provider.GetRequiredService<PostgresWakeUps>());
    }

    internal override async Task PrepareAsync(IServiceProvider services, ILogger operatorLog, long nowMs, CancellationToken cancellationToken)
    {
        var database = services.GetRequiredService<PostgresDatabase>();
        var settings = await PostgresSchema.CheckDurabilityAsync(database, cancellationToken).ConfigureAwait(false);
        var applied = await PostgresSchema.MigrateAsync(database, nowMs, cancellationToken).ConfigureAwait(false);
        var version = await PostgresSchema.VersionAsync(database, cancellationToken).ConfigureAwait(false);
        PostgresLog.StoreReady(operatorLog, database.Description, NodeName, version, applied, settings.SynchronousCommit, settings.Fsync);
    }
}
