using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Parley.Server.Hosting;

/// <summary>
/// A storage backend of the relay: it registers the store ports (<c>IAccountStore</c>, <c>IKeyDirectory</c>,
/// <c>IMailbox</c>, <c>IDeliveryNotifier</c>) and prepares its store (checks, migrations) before the relay
/// serves. SQLite (<see cref="SqliteRelayStore"/>) is built in; PostgreSQL lives in Parley.Server.Postgres.
/// </summary>
public abstract class RelayStore
{
    internal RelayStore()
    {
    }

    /// <summary>The name <c>Parley:Store</c> selects it by (<c>sqlite</c>, <c>postgres</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Registers the store ports and whatever background services the store needs.</summary>
    internal abstract void AddServices(IServiceCollection services, RelayOptions options);

    /// <summary>Checks and migrates the store; logs where the data lives. Runs once, before the relay listens.</summary>
    internal abstract Task PrepareAsync(IServiceProvider services, ILogger operatorLog, long nowMs, CancellationToken cancellationToken);
}
