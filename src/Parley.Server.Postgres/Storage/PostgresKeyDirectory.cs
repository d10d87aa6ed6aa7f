using Parley.Contracts.Keys;
using Parley.Server.Keys;

namespace Parley.Server.Postgres.Storage;

/// <summary>
/// The prekey directory in PostgreSQL. A one-time key is claimed with
/// <c>DELETE … WHERE key = (SELECT … FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING …</c>: concurrent claimers on
/// any node lock different rows, and a key leaves the table in the transaction that hands it out, so the
/// database itself guarantees that no key is handed out twice.
/// </summary>
internal sealed class PostgresKeyDirectory(PostgresDatabase database) : IKeyDirectory
{
    public Task<KeyUploadOutcome> UploadAsync(DeviceAddress device, UploadKeysRequest keys, int maxOneTimePreKeysPerKind, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async work =>
            {
                // The device row lock serialises uploads of one device, so that two concurrent uploads cannot
                // both pass the pool-size check below.
                if (await work.ScalarAsync(
                        "SELECT count(*) FROM (SELECT 1 FROM devices WHERE account_id = @a AND device_id = @d FOR UPDATE) locked",
                        ("a", device.AccountId),
                        ("d", device.DeviceId)).ConfigureAwait(false) == 0)
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
                await using (var command = work.Command(
                    """
                    SELECT d.device_id, d.registration_id, d.identity_key,
                           s.key_id, s.public_key, s.signature,
                           k.key_id, k.public_key, k.signature
                    FROM devices d
                    JOIN signed_prekeys s ON s.account_id = d.account_id AND s.device_id = d.device_id
                    JOIN last_resort_kyber_prekeys k ON k.account_id = d.account_id AND k.device_id = d.device_id
                    WHERE d.account_id = @a
                    ORDER BY d.device_id
                    """,
                    ("a", accountId)))
                {
                    await using var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
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

    internal static Task PutSignedAsync(PostgresWork work, string table, DeviceAddress device, SignedPreKey key) =>
        work.ExecuteAsync(
            $"""
            INSERT INTO {table} (account_id, device_id, key_id, public_key, signature) VALUES (@a, @d, @i, @k, @s)
            ON CONFLICT (account_id, device_id) DO UPDATE SET key_id = excluded.key_id, public_key = excluded.public_key, signature = excluded.signature
            """,
            ("a", device.AccountId),
            ("d", device.DeviceId),
            ("i", (long)key.KeyId),
            ("k", key.PublicKey),
            ("s", key.Signature));

    internal static async Task AddOneTimeAsync(PostgresWork work, DeviceAddress device, IReadOnlyList<PreKey> preKeys, IReadOnlyList<SignedPreKey> kyberPreKeys)
    {
        // A key id already in the pool is replaced (and moves to the back of the queue), as in the SQLite
        // store; within one upload the last key with an id wins.
        if (preKeys.Count > 0)
        {
            var ids = preKeys.Select(k => (long)k.KeyId).ToArray();
            await work.ExecuteAsync(
                "DELETE FROM one_time_prekeys WHERE account_id = @a AND device_id = @d AND key_id = ANY(@ids)",
                ("a", device.AccountId),
                ("d", device.DeviceId),
                ("ids", ids)).ConfigureAwait(false);
            await work.ExecuteAsync(
                """
                INSERT INTO one_time_prekeys (account_id, device_id, key_id, public_key)
                SELECT @a, @d, key_id, public_key FROM (
                    SELECT DISTINCT ON (key_id) key_id, public_key, n
                    FROM unnest(@ids, @keys) WITH ORDINALITY AS t(key_id, public_key, n)
                    ORDER BY key_id, n DESC) latest
                ORDER BY n
                """,
                ("a", device.AccountId),
                ("d", device.DeviceId),
                ("ids", ids),
                ("keys", preKeys.Select(k => k.PublicKey).ToArray())).ConfigureAwait(false);
        }

        if (kyberPreKeys.Count > 0)
        {
            var ids = kyberPreKeys.Select(k => (long)k.KeyId).ToArray();
            await work.ExecuteAsync(
                "DELETE FROM one_time_kyber_prekeys WHERE account_id = @a AND device_id = @d AND key_id = ANY(@ids)",
                ("a", device.AccountId),
                ("d", device.DeviceId),
                ("ids", ids)).ConfigureAwait(false);
            await work.ExecuteAsync(
                """
                INSERT INTO one_time_kyber_prekeys (account_id, device_id, key_id, public_key, signature)
                SELECT @a, @d, key_id, public_key, signature FROM (
                    SELECT DISTINCT ON (key_id) key_id, public_key, signature, n
                    FROM unnest(@ids, @keys, @signatures) WITH ORDINALITY AS t(key_id, public_key, signature, n)
                    ORDER BY key_id, n DESC) latest
                ORDER BY n
                """,
                ("a", device.AccountId),
                ("d", device.DeviceId),
                ("ids", ids),
                ("keys", kyberPreKeys.Select(k => k.PublicKey).ToArray()),
                ("signatures", kyberPreKeys.Select(k => k.Signature).ToArray())).ConfigureAwait(false);
        }
    }

    private static async Task<PreKeyCountResponse> CountAsync(PostgresWork work, DeviceAddress device)
    {
        await using var command = work.Command(
            """
            SELECT (SELECT count(*) FROM one_time_prekeys WHERE account_id = @a AND device_id = @d),
                   (SELECT count(*) FROM one_time_kyber_prekeys WHERE account_id = @a AND device_id = @d)
            """,
            ("a", device.AccountId),
            ("d", device.DeviceId));
        await using var reader = await command.ExecuteReaderAsync(work.CancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(work.CancellationToken).ConfigureAwait(false);
        return new PreKeyCountResponse(checked((int)reader.GetInt64(0)), checked((int)reader.GetInt64(1)));
    }

    private static async Task<PreKey?> ClaimPreKeyAsync(PostgresWork work, DeviceAddress device)
    {
        await using var command = work.Command(
            """
            DELETE FROM one_time_prekeys WHERE (account_id, device_id, key_id) = (
                SELECT account_id, device_id, key_id FROM one_time_prekeys
                WHERE account_id = @a AND device_id = @d
                ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING key_id, public_key
            """,
            ("a", device.AccountId),
            ("d", device.DeviceId));
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
        return await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false)
            ? new PreKey(checked((uint)reader.GetInt64(0)), (byte[])reader.GetValue(1))
            : null;
    }

    private static async Task<SignedPreKey?> ClaimKyberPreKeyAsync(PostgresWork work, DeviceAddress device)
    {
        await using var command = work.Command(
            """
            DELETE FROM one_time_kyber_prekeys WHERE (account_id, device_id, key_id) = (
                SELECT account_id, device_id, key_id FROM one_time_kyber_prekeys
                WHERE account_id = @a AND device_id = @d
                ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING key_id, public_key, signature
            """,
            ("a", device.AccountId),
            ("d", device.DeviceId));
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
        return await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false)
            ? new SignedPreKey(checked((uint)reader.GetInt64(0)), (byte[])reader.GetValue(1), (byte[])reader.GetValue(2))
            : null;
    }
}
