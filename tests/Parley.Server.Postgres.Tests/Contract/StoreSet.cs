using System.Security.Cryptography;
using Parley.Contracts;
using Parley.Contracts.Keys;
using Parley.Server.Accounts;
using Parley.Server.Keys;
using Parley.Server.Messages;
using Parley.Testing.Relay;

namespace Parley.Server.Postgres.Tests.Contract;

/// <summary>The three store ports of one backend, opened on an empty, migrated store.</summary>
internal abstract class StoreSet : IAsyncDisposable
{
    public abstract IAccountStore Accounts { get; }

    public abstract IKeyDirectory Keys { get; }

    public abstract IMailbox Mailbox { get; }

    /// <summary>
    /// Adds a device with keys to an account, directly in the store (the relay has no device-linking route yet;
    /// its data model and send path are per device already).
    /// </summary>
    public abstract Task AddDeviceAsync(long accountId, int deviceId);

    public abstract ValueTask DisposeAsync();

    /// <summary>Registers a fresh account with one device and the given one-time keys; returns its id.</summary>
    public async Task<long> NewAccountAsync(string? username = null, int oneTimePreKeys = 0, int oneTimeKyberPreKeys = 0)
    {
        var id = await Accounts.CreateAsync(NewAccount(username ?? UniqueName(), oneTimePreKeys, oneTimeKyberPreKeys), CancellationToken.None);
        return id ?? throw new InvalidOperationException("The username was taken.");
    }

    public static string UniqueName() => "u" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static NewAccount NewAccount(string username, int oneTimePreKeys = 0, int oneTimeKyberPreKeys = 0) =>
        new(
            username,
            1_700_000_000_000,
            new NewDevice(
                DeviceLimits.MinDeviceId,
                SHA256.HashData(RandomNumberGenerator.GetBytes(32)),
                1234,
                FakeKeys.Ec(),
                FakeKeys.SignedEc(1),
                FakeKeys.SignedKyber(1000),
                FakeKeys.OneTime(1, oneTimePreKeys),
                FakeKeys.OneTimeKyber(2000, oneTimeKyberPreKeys)));

    public static IReadOnlyList<PreKey> PreKeys(uint first, int count) => FakeKeys.OneTime(first, count);
}
