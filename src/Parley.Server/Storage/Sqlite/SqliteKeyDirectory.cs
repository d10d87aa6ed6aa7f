using Parley.Contracts.Keys;
using Parley.Server.Keys;

namespace Parley.Server.Storage.Sqlite;

/// <summary>The prekey directory in SQLite. One-time keys are claimed with <c>DELETE … RETURNING</c> inside the writer transaction.</summary>
internal sealed class SqliteKeyDirectory(SqliteDatabase database) : IKeyDirectory
{
    public Task<KeyUploadOutcome> UploadAsync(DeviceAddress device, UploadKeysRequest keys, int maxOneTimePreKeysPerKind, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async work =>
            {
                if (await work.ScalarAsync(
                        "SELECT count(*) FROM devices WHERE account_id = $a AND device_id = $d",
                        ("$a", device.AccountId),
                        ("$d", device.DeviceId)).ConfigureAwait(false) == 0)
                {
                    return KeyUploadOutcome.DeviceNotFound;
                }

                if (keys.SignedPreKey is { } signed)
                {
                    await PutSignedAsync(work, "signed_prekeys", device, signed).ConfigureAwait(false);
                }

                if (keys.LastResortKyberPreKey is { } lastResort)
                {
                    await PutSignedAsync(work, "last_resort_kyber_prekeys", device, lastResort).ConfigureAwait(false);
                }

                await AddOneTimeAsync(work, device, keys.OneTimePreKeys ?? [], keys.OneTimeKyberPreKeys ?? []).ConfigureAwait(false);
                var counts = await CountAsync(work, device).ConfigureAwait(false);
                if (counts.OneTimePreKeys > maxOneTimePreKeysPerKind || counts.OneTimeKyberPreKeys > maxOneTimePreKeysPerKind)
                {
                    work.Abort();
                    return KeyUploadOutcome.TooManyOneTimePreKeys;
                }

                return KeyUploadOutcome.Stored;
            },
            cancellationToken);

    public Task<IReadOnlyList<DevicePreKeyBundle>> ClaimBundlesAsync(long accountId, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<DevicePreKeyBundle>>(
            async work =>
            {
                var bundles = new List<DevicePreKeyBundle>();
                var command = work.Command(
                    """
                    SELECT d.device_id, d.registration_id, d.identity_key,
                           s.key_id, s.public_key, s.signature,
                           k.key_id, k.public_key, k.signature
                    FROM devices d
                    JOIN signed_prekeys s ON s.account_id = d.account_id AND s.device_id = d.device_id
                    JOIN last_resort_kyber_prekeys k ON k.account_id = d.account_id AND k.device_id = d.device_id
                    WHERE d.account_id = $a
                    ORDER BY d.device_id
                    """,
                    ("$a", accountId));
                {
                    using var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
                    while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
                    {
                        bundles.Add(new DevicePreKeyBundle(
                            reader.GetInt32(0),
                            reader.GetInt32(1),
                            (byte[])reader.GetValue(2),
                            new SignedPreKey(checked((uint)reader.GetInt64(3)), (byte[])reader.GetValue(4), (byte[])reader.GetValue(5)),
                            new SignedPreKey(checked((uint)reader.GetInt64(6)), (byte[])reader.GetValue(7), (byte[])reader.GetValue(8))));
                    }
                }

                for (var i = 0; i < bundles.Count; i++)
                {
                    var device = new DeviceAddress(accountId, bundles[i].DeviceId);
                    var preKey = await ClaimPreKeyAsync(work, device).ConfigureAwait(false);
                    var kyber = await ClaimKyberPreKeyAsync(work, device).ConfigureAwait(false);
                    bundles[i] = bundles[i] with { PreKey = preKey, KyberPreKey = kyber ?? bundles[i].KyberPreKey };
                }

                return bundles;
            },
            cancellationToken);

    public Task<PreKeyCountResponse> CountAsync(DeviceAddress device, CancellationToken cancellationToken) =>
        database.ReadAsync(work => CountAsync(work, device), cancellationToken);

    internal static Task PutSignedAsync(SqliteWork work, string table, DeviceAddress device, SignedPreKey key) =>
        work.ExecuteAsync(
            $"""
            INSERT INTO {table} (account_id, device_id, key_id, public_key, signature) VALUES ($a, $d, $i, $k, $s)
            ON CONFLICT (account_id, device_id) DO UPDATE SET key_id = excluded.key_id, public_key = excluded.public_key, signature = excluded.signature
            """,
            ("$a", device.AccountId),
            ("$d", device.DeviceId),
            ("$i", (long)key.KeyId),
            ("$k", key.PublicKey),
            ("$s", key.Signature));

    internal static async Task AddOneTimeAsync(SqliteWork work, DeviceAddress device, IReadOnlyList<PreKey> preKeys, IReadOnlyList<SignedPreKey> kyberPreKeys)
    {
        foreach (var key in preKeys)
        {
            await work.ExecuteAsync(
                "INSERT OR REPLACE INTO one_time_prekeys (account_id, device_id, key_id, public_key) VALUES ($a, $d, $i, $k)",
                ("$a", device.AccountId),
                ("$d", device.DeviceId),
                ("$i", (long)key.KeyId),
                ("$k", key.PublicKey)).ConfigureAwait(false);
        }

        foreach (var key in kyberPreKeys)
        {
            await work.ExecuteAsync(
                "INSERT OR REPLACE INTO one_time_kyber_prekeys (account_id, device_id, key_id, public_key, signature) VALUES ($a, $d, $i, $k, $s)",
                ("$a", device.AccountId),
                ("$d", device.DeviceId),
                ("$i", (long)key.KeyId),
                ("$k", key.PublicKey),
                ("$s", key.Signature)).ConfigureAwait(false);
        }
    }

    private static async Task<PreKeyCountResponse> CountAsync(SqliteWork work, DeviceAddress device)
    {
        (string, object?)[] args = [("$a", device.AccountId), ("$d", device.DeviceId)];
        var ec = await work.ScalarAsync("SELECT count(*) FROM one_time_prekeys WHERE account_id = $a AND device_id = $d", args).ConfigureAwait(false);
        var kyber = await work.ScalarAsync("SELECT count(*) FROM one_time_kyber_prekeys WHERE account_id = $a AND device_id = $d", args).ConfigureAwait(false);
        return new PreKeyCountResponse(checked((int)ec), checked((int)kyber));
    }

    private static async Task<PreKey?> ClaimPreKeyAsync(SqliteWork work, DeviceAddress device)
    {
        var command = work.Command(
            """
            DELETE FROM one_time_prekeys WHERE rowid = (
                SELECT rowid FROM one_time_prekeys WHERE account_id = $a AND device_id = $d ORDER BY rowid LIMIT 1)
            RETURNING key_id, public_key
            """,
            ("$a", device.AccountId),
            ("$d", device.DeviceId));
        using var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
        return await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false)
            ? new PreKey(checked((uint)reader.GetInt64(0)), (byte[])reader.GetValue(1))
            : null;
    }

    private static async Task<SignedPreKey?> ClaimKyberPreKeyAsync(SqliteWork work, DeviceAddress device)
    {
        var command = work.Command(
            """
            DELETE FROM one_time_kyber_prekeys WHERE rowid = (
                SELECT rowid FROM one_time_kyber_prekeys WHERE account_id = $a AND device_id = $d ORDER BY rowid LIMIT 1)
            RETURNING key_id, public_key, signature
            """,
            ("$a", device.AccountId),
            ("$d", device.DeviceId));
        using var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
        return await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false)
            ? new SignedPreKey(checked((uint)reader.GetInt64(0)), (byte[])reader.GetValue(1), (byte[])reader.GetValue(2))
            : null;
    }
}
