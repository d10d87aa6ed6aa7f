namespace Parley.Server.Postgres.Tests.Contract;

/// <summary>
/// Base of the store contract suites: the facts are written once against the ports, and each backend's
/// subclass says how to open its stores. Every test opens its own stores and makes its own accounts.
/// </summary>
public abstract class StoreContract : IAsyncLifetime
{
    private StoreSet? stores;

    private protected StoreSet Stores => stores ?? throw new InvalidOperationException("Stores are not open.");

    private protected abstract Task<StoreSet> OpenStoresAsync();

    public async Task InitializeAsync() => stores = await OpenStoresAsync();

    public async Task DisposeAsync()
    {
        if (stores is not null)
        {
            await stores.DisposeAsync();
        }
    }
}
