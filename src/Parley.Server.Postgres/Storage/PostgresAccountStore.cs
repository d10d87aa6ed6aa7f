using Parley.Contracts.Accounts;
using Parley.Server.Accounts;

namespace Parley.Server.Postgres.Storage;

/// <summary>Accounts and devices in PostgreSQL.</summary>
internal sealed class PostgresAccountStore(PostgresDatabase database) : IAccountStore
{
    // Everything keyed by account, removed with it (children before devices).
    private static readonly string[] DeviceTables =
        ["envelopes", "one_time_prekeys", "one_time_kyber_prekeys", "signed_prekeys", "last_resort_kyber_prekeys", "devices"];

    public Task<long?> CreateAsync(NewAccount account, CancellationToken cancellationToken) =>
        database.WriteAsync<long?>(
            async work =>
            {
                // ON CONFLICT waits for a concurrent registration of the same name and then yields to it.
                await using var insert = work.Command(
                    "INSERT INTO accounts (username, created_at) VALUES (@u, @t) ON CONFLICT (username) DO NOTHING RETURNING id",
                    ("u", account.Username),
                    ("t", account.CreatedAt));
                if (await insert.ExecuteScalarAsync(work.CancellationToken).ConfigureAwait(false) is not long accountId)
                {
                    return null;
                }

                var device = account.FirstDevice;
                await work.ExecuteAsync(
                    """
                    INSERT INTO devices (account_id, device_id, credential_hash, registration_id, identity_key, created_at)
                    VALUES (@a, @d, @h, @r, @k, @t)
                    """,
                    ("a", accountId),
                    ("d", device.DeviceId),
                    ("h", device.CredentialHash),
                    ("r", device.RegistrationId),
                    ("k", device.IdentityKey),
                    ("t", account.CreatedAt)).ConfigureAwait(false);
                var address = new DeviceAddress(accountId, device.DeviceId);
                await PostgresKeyDirectory.PutSignedAsync(work, "signed_prekeys", address, device.SignedPreKey).ConfigureAwait(false);
                await PostgresKeyDirectory.PutSignedAsync(work, "last_resort_kyber_prekeys", address, device.LastResortKyberPreKey).ConfigureAwait(false);
                await PostgresKeyDirectory.AddOneTimeAsync(work, address, device.OneTimePreKeys, device.OneTimeKyberPreKeys).ConfigureAwait(false);
                return accountId;
            },
            cancellationToken);

    public Task<DeviceLogin?> FindDeviceAsync(string username, int deviceId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async work =>
            {
                await using var command = work.Command(
                    """
                    SELECT a.id, d.credential_hash FROM accounts a
                    JOIN devices d ON d.account_id = a.id
                    WHERE a.username = @u AND d.device_id = @d
                    """,
                    ("u", username),
                    ("d", deviceId));
                await using var reader = await command.ExecuteReaderAsync(work.CancellationToken).ConfigureAwait(false);
                if (!await reader.ReadAsync(work.CancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                return new DeviceLogin(reader.GetInt64(0), username, deviceId, (byte[])reader.GetValue(1));
            },
            cancellationToken);

    public Task<AccountDevices?> FindAsync(string username, CancellationToken cancellationToken) =>
        database.ReadAsync(work => LoadAsync(work, "a.username = @key", username), cancellationToken);

    public Task<AccountDevices?> GetAsync(long accountId, CancellationToken cancellationToken) =>
        database.ReadAsync(work => LoadAsync(work, "a.id = @key", accountId), cancellationToken);

    public Task<bool> DeleteAsync(long accountId, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async work =>
            {
                // Lock the account's device rows first, in the order sends lock them, so that a deletion waits
                // for in-flight sends to the account instead of deadlocking with them.
                await work.ExecuteAsync(
                    "SELECT 1 FROM devices WHERE account_id = @a ORDER BY device_id FOR UPDATE", ("a", accountId)).ConfigureAwait(false);

                // Explicit deletes, children first, rather than relying on cascades alone: the list of what an
                // account deletion removes stays readable here.
                foreach (var table in DeviceTables)
                {
                    await work.ExecuteAsync($"DELETE FROM {table} WHERE account_id = @a", ("a", accountId)).ConfigureAwait(false);
                }

                await work.ExecuteAsync(
                    "DELETE FROM send_receipts WHERE recipient_account_id = @a OR sender_account_id = @a", ("a", accountId)).ConfigureAwait(false);
                return await work.ExecuteAsync("DELETE FROM accounts WHERE id = @a", ("a", accountId)).ConfigureAwait(false) > 0;
            },
            cancellationToken);

    private static async Task<AccountDevices?> LoadAsync(PostgresWork work, string where, object key)
    {
        await using var command = work.Command(
            $"""
            SELECT a.id, a.username, d.device_id, d.registration_id FROM accounts a
            JOIN devices d ON d.account_id = a.id
            WHERE {where}
            ORDER BY d.device_id
            """,
            ("key", key));
        await using var reader = await command.ExecuteReaderAsync(work.CancellationToken).ConfigureAwait(false);
        long id = 0;
        string? username = null;
        var devices = new List<DeviceInfo>();
        while (await reader.ReadAsync(work.CancellationToken).ConfigureAwait(false))
        {
            id = reader.GetInt64(0);
            username = reader.GetString(1);
            devices.Add(new DeviceInfo(reader.GetInt32(2), reader.GetInt32(3)));
        }

        return username is null ? null : new AccountDevices(id, username, devices);
    }
}
