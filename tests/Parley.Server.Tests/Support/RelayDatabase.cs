using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace Parley.Server.Tests.Support;

/// <summary>
/// Direct access to a test relay's SQLite file: counting rows, and adding extra devices (the relay has no
/// device-linking API yet, but its data model and send path are per device already).
/// </summary>
internal static class RelayDatabase
{
    public static async Task<long> ScalarAsync(TestRelay relay, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={relay.Server.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static Task<long> EnvelopeCountAsync(TestRelay relay) => ScalarAsync(relay, "SELECT count(*) FROM envelopes");

    /// <summary>The envelope ids of a user's device 1, in mailbox (commit) order.</summary>
    public static async Task<List<Guid>> IdsInMailboxOrderAsync(TestRelay relay, string username)
    {
        await using var connection = new SqliteConnection($"Data Source={relay.Server.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT e.id FROM envelopes e JOIN accounts a ON a.id = e.account_id WHERE a.username = $u AND e.device_id = 1 ORDER BY e.position";
        command.Parameters.AddWithValue("$u", username);
        using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    /// <summary>Adds device <paramref name="deviceId"/> to <paramref name="username"/> with keys; returns its Authorization header.</summary>
    public static async Task<string> AddDeviceAsync(TestRelay relay, string username, int deviceId)
    {
        var credential = RandomNumberGenerator.GetBytes(32);
        await using var connection = new SqliteConnection($"Data Source={relay.Server.DatabasePath};Pooling=False;Default Timeout=30");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO devices (account_id, device_id, credential_hash, registration_id, identity_key, created_at)
            SELECT id, $d, $h, 42, $k, 0 FROM accounts WHERE username = $u;
            INSERT INTO signed_prekeys (account_id, device_id, key_id, public_key, signature)
            SELECT id, $d, 1, $k, $s FROM accounts WHERE username = $u;
            INSERT INTO last_resort_kyber_prekeys (account_id, device_id, key_id, public_key, signature)
            SELECT id, $d, 2, $kyber, $s FROM accounts WHERE username = $u;
            """;
        command.Parameters.AddWithValue("$d", deviceId);
        command.Parameters.AddWithValue("$h", SHA256.HashData(credential));
        command.Parameters.AddWithValue("$k", TestKeys.Ec());
        command.Parameters.AddWithValue("$kyber", TestKeys.KyberKey());
        command.Parameters.AddWithValue("$s", TestKeys.Signature());
        command.Parameters.AddWithValue("$u", username);
        await command.ExecuteNonQueryAsync();
        return Parley.Contracts.Accounts.BasicCredentials.HeaderValue(username, deviceId, credential);
    }
}
