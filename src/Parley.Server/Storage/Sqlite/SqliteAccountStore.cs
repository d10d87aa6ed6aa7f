using Microsoft.Data.Sqlite;
using Parley.Contracts.Accounts;
using Parley.Server.Accounts;

namespace Parley.Server.Storage.Sqlite;

/// <summary>Accounts and devices in SQLite.</summary>
internal sealed class SqliteAccountStore(SqliteDatabase database) : IAccountStore
{
    // SQLite's primary-key / unique constraint failure.
    private const int SqliteConstraint = 19;

    // Everything keyed by account, removed with it (children before devices).
    private static readonly string[] DeviceTables =
        ["envelopes", "one_time_prekeys", "one_time_kyber_prekeys", "signed_prekeys", "last_resort_kyber_prekeys", "devices"];

    public async Task<long?> CreateAsync(NewAccount account, CancellationToken cancellationToken)
    {
        try
        {
            return await database.WriteAsync<long?>(
                async work =>
                {
                    if (await work.ScalarAsync("SELECT count(*) FROM accounts WHERE username = $u", ("$u", account.Username)).ConfigureAwait(false) > 0)
                    {
                        return null;
                    }

                    var accountId = await work.ScalarAsync(
                        "INSERT INTO accounts (username, created_at) VALUES ($u, $t) RETURNING id",
                        ("$u", account.Username),
                        ("$t", account.CreatedAt)).ConfigureAwait(false);
                    var device = account.FirstDevice;
                    await work.ExecuteAsync(
                        """
                        INSERT INTO devices (account_id, device_id, credential_hash, registration_id, identity_key, created_at)
                        VALUES ($a, $d, $h, $r, $k, $t)
                        """,
                        ("$a", accountId),
                        ("$d", device.DeviceId),
                        ("$h", device.CredentialHash),
                        ("$r", device.RegistrationId),
                        ("$k", device.IdentityKey),
                        ("$t", account.CreatedAt)).ConfigureAwait(false);
                    var address = new DeviceAddress(accountId, device.DeviceId);
                    await SqliteKeyDirectory.PutSignedAsync(work, "signed_prekeys", address, device.SignedPreKey).ConfigureAwait(false);
                    await SqliteKeyDirectory.PutSignedAsync(work, "last_resort_kyber_prekeys", address, device.LastResortKyberPreKey).ConfigureAwait(false);
                    await SqliteKeyDirectory.AddOneTimeAsync(work, address, device.OneTimePreKeys, device.OneTimeKyberPreKeys).ConfigureAwait(false);
                    return accountId;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteConstraint)
        {
            // A concurrent registration won the name between our check and insert (another process on the file).
            return null;
        }
    }

    public Task<DeviceLogin?> FindDeviceAsync(string username, int deviceId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async work =>
            {
                var command = work.Command(
                    """
                    SELECT a.id, d.credential_hash FROM accounts a
                    JOIN devices d ON d.account_id = a.id
                    WHERE a.username = $u AND d.device_id = $d
                    """,
                    ("$u", username),
                    ("$d", deviceId));
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                return new DeviceLogin(reader.GetInt64(0), username, deviceId, (byte[])reader.GetValue(1));
            },
            cancellationToken);

    public Task<AccountDevices?> FindAsync(string username, CancellationToken cancellationToken) =>
        database.ReadAsync(work => LoadAsync(work, "a.username = $key", username, cancellationToken), cancellationToken);

    public Task<AccountDevices?> GetAsync(long accountId, CancellationToken cancellationToken) =>
        database.ReadAsync(work => LoadAsync(work, "a.id = $key", accountId, cancellationToken), cancellationToken);

    public Task<bool> DeleteAsync(long accountId, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async work =>
            {
                // Explicit deletes, children first, rather than relying on cascades alone: the list of what an
                // account deletion removes stays readable here.
                foreach (var table in DeviceTables)
                {
                    await work.ExecuteAsync($"DELETE FROM {table} WHERE account_id = $a", ("$a", accountId)).ConfigureAwait(false);
                }

                await work.ExecuteAsync(
                    "DELETE FROM send_receipts WHERE recipient_account_id = $a OR sender_account_id = $a", ("$a", accountId)).ConfigureAwait(false);
                return await work.ExecuteAsync("DELETE FROM accounts WHERE id = $a", ("$a", accountId)).ConfigureAwait(false) > 0;
            },
            cancellationToken);

    private static async Task<AccountDevices?> LoadAsync(SqliteWork work, string where, object key, CancellationToken cancellationToken)
    {
        var command = work.Command(
            $"""
            SELECT a.id, a.username, d.device_id, d.registration_id FROM accounts a
            JOIN devices d ON d.account_id = a.id
            WHERE {where}
            ORDER BY d.device_id
            """,
            ("$key", key));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        long id = 0;
        string? username = null;
        var devices = new List<DeviceInfo>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            id = reader.GetInt64(0);
            username = reader.GetString(1);
            devices.Add(new DeviceInfo(reader.GetInt32(2), reader.GetInt32(3)));
        }

        return username is null ? null : new AccountDevices(id, username, devices);
    }
}
