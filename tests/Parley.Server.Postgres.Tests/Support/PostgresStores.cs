using System.Security.Cryptography;
using Parley.Contracts;
using Parley.Contracts.Messages;
using Parley.Server.Accounts;
using Parley.Server.Messages;
using Parley.Server.Postgres.Storage;
using Parley.Testing.Relay;

namespace Parley.Server.Postgres.Tests.Support;

/// <summary>
/// The PostgreSQL stores on a database, as one node has them (its own pool), for tests of what lies around the
/// stores (wake-ups, migrations). The stores' own rules are the shared contract suite's
/// (Parley.Server.Tests, Storage/RelayStoreContractTests), which runs against SQLite and PostgreSQL.
/// </summary>
internal sealed class PostgresStores : IAsyncDisposable
{
    private const long Now = 1_800_000_000_000;

    private PostgresStores(PostgresDatabase database)
    {
        Database = database;
        Accounts = new PostgresAccountStore(database);
        Mailbox = new PostgresMailbox(database);
    }

    public PostgresDatabase Database { get; }

    public IAccountStore Accounts { get; }

    public IMailbox Mailbox { get; }

    public static async Task<PostgresStores> OpenAsync(string connectionString, string node = "test")
    {
        var database = new PostgresDatabase(connectionString, node);
        await PostgresSchema.MigrateAsync(database, 0, CancellationToken.None);
        return new PostgresStores(database);
    }

    /// <summary>A fresh account with one device; returns its id.</summary>
    public async Task<long> NewAccountAsync()
    {
        var account = new NewAccount(
            "u" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            Now,
            new NewDevice(DeviceLimits.MinDeviceId, SHA256.HashData(RandomNumberGenerator.GetBytes(32)), 1234, FakeKeys.Ec(), FakeKeys.SignedEc(1), FakeKeys.SignedKyber(1000), [], []));
        return await Accounts.CreateAsync(account, CancellationToken.None) ?? throw new InvalidOperationException("The username was taken.");
    }

    /// <summary>A send of one envelope to device 1 of <paramref name="recipient"/>.</summary>
    public static MailboxWrite Write(long sender, long recipient, int maxEnvelopes = 1000) =>
        new(new DeviceAddress(sender, 1), "sender", recipient, Guid.NewGuid(), 1, [new OutgoingEnvelope(1, EnvelopeType.Whisper, [1, 2, 3])], Now, Now + 86_400_000, maxEnvelopes, 1 << 20);

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
