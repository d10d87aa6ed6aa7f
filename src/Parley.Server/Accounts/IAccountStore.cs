using Parley.Contracts.Accounts;
using Parley.Contracts.Keys;

namespace Parley.Server.Accounts;

/// <summary>Accounts and their devices. Implementations: SQLite here; PostgreSQL in its own project later.</summary>
internal interface IAccountStore
{
    /// <summary>Creates the account, its first device and that device's keys in one transaction.</summary>
    /// <returns>The new account id, or null when the username is taken.</returns>
    Task<long?> CreateAsync(NewAccount account, CancellationToken cancellationToken);

    /// <summary>The credential record of one device, for authentication.</summary>
    Task<DeviceLogin?> FindDeviceAsync(string username, int deviceId, CancellationToken cancellationToken);

    /// <summary>An account and its devices by username.</summary>
    Task<AccountDevices?> FindAsync(string username, CancellationToken cancellationToken);

    /// <summary>An account and its devices by id.</summary>
    Task<AccountDevices?> GetAsync(long accountId, CancellationToken cancellationToken);

    /// <summary>Deletes the account with its devices, keys, mailboxes and idempotency records.</summary>
    /// <returns>False when no such account existed.</returns>
    Task<bool> DeleteAsync(long accountId, CancellationToken cancellationToken);
}

/// <summary>A registration, validated and normalised.</summary>
internal sealed record NewAccount(string Username, long CreatedAt, NewDevice FirstDevice);

/// <summary>A device with its credential hash and its public keys.</summary>
internal sealed record NewDevice(
    int DeviceId,
    byte[] CredentialHash,
    int RegistrationId,
    byte[] IdentityKey,
    SignedPreKey SignedPreKey,
    SignedPreKey LastResortKyberPreKey,
    IReadOnlyList<PreKey> OneTimePreKeys,
    IReadOnlyList<SignedPreKey> OneTimeKyberPreKeys);

/// <summary>What authentication needs about a device: never the credential itself, only its SHA-256.</summary>
internal sealed record DeviceLogin(long AccountId, string Username, int DeviceId, byte[] CredentialHash)
{
    public override string ToString() => $"DeviceLogin {{ AccountId = {AccountId}, Username = {Username}, DeviceId = {DeviceId} }}";
}

/// <summary>An account with its devices, ordered by device id.</summary>
internal sealed record AccountDevices(long AccountId, string Username, IReadOnlyList<DeviceInfo> Devices);
