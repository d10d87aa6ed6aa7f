using System.Security.Cryptography;
using System.Text.Json;
using Parley.Contracts.Accounts;
using Parley.Contracts.Keys;
using Parley.Contracts.Messages;

namespace Parley.Server.Tests.Security;

/// <summary>TESTPLAN D2: account A can never read, acknowledge or delete B's mailbox, nor change B's keys.</summary>
public sealed class AuthorizationMatrixTests : IAsyncLifetime
{
    private TestRelay relay = null!;
    private TestDevice attacker = null!;
    private TestDevice victim = null!;
    private TestDevice sender = null!;

    public async Task InitializeAsync()
    {
        relay = await TestRelay.StartAsync();
        attacker = await relay.RegisterAsync("mallory");
        victim = await relay.RegisterAsync("bob", oneTimePreKeys: 3, oneTimeKyberPreKeys: 3);
        sender = await relay.RegisterAsync("alice");
    }

    public async Task DisposeAsync() => await relay.DisposeAsync();

    [Fact]
    public async Task A_cannot_read_Bs_mailbox_by_any_route_or_parameter()
    {
        var id = await sender.SendAsync("bob", RandomNumberGenerator.GetBytes(64));
        foreach (var path in new[] { "/v1/messages", "/v1/messages?username=bob", "/v1/messages?deviceId=1&account=bob", "/v1/messages/bob", "/v1/messages/" + id })
        {
            using var response = await attacker.Http.GetAsync(path);
            if (response.IsSuccessStatusCode)
            {
                var batch = await response.Content.ReadFromJsonAsync(ParleyJsonContext.Default.MessageBatch);
                Assert.Empty(batch!.Envelopes);
            }
        }

        await using var stream = await attacker.ConnectAsync();
        Assert.Empty(await stream.ReceiveUntilDrainedAsync());
        Assert.Equal(id, Assert.Single((await victim.FetchAsync()).Envelopes).Id);
    }

    [Fact]
    public async Task A_cannot_acknowledge_Bs_envelopes_and_a_foreign_id_looks_like_an_unknown_one()
    {
        var id = await sender.SendAsync("bob");

        var foreign = await AcknowledgeRawAsync(attacker, id);
        var unknown = await AcknowledgeRawAsync(attacker, Guid.NewGuid());
        Assert.Equal(HttpStatusCode.NoContent, foreign.Status);
        Assert.Equal(unknown, foreign);

        using (var delete = await attacker.Http.DeleteAsync("/v1/messages/" + id))
        {
            Assert.False(delete.IsSuccessStatusCode);
        }

        await using (var stream = await attacker.ConnectAsync())
        {
            Assert.Empty(await stream.ReceiveUntilDrainedAsync());
            await stream.AcknowledgeAsync(id);

            // The relay answers the close handshake only after it has handled the frames before it.
            await stream.CloseAsync();
        }

        Assert.Equal(id, Assert.Single((await victim.FetchAsync()).Envelopes).Id);
    }

    [Fact]
    public async Task A_cannot_delete_Bs_account_or_mailbox()
    {
        var id = await sender.SendAsync("bob");
        foreach (var path in new[] { "/v1/accounts/bob", "/v1/messages/bob", "/v1/keys/bob", "/v1/stream?username=bob" })
        {
            using var response = await attacker.Http.DeleteAsync(path);
            Assert.False(response.IsSuccessStatusCode, path);
        }

        using var impersonating = relay.As(BasicCredentials.HeaderValue("bob", 1, attacker.Password));
        using (var delete = await impersonating.DeleteAsync(ApiPaths.CurrentAccount))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, delete.StatusCode);
        }

        Assert.Equal(id, Assert.Single((await victim.FetchAsync()).Envelopes).Id);

        // "me" is always the caller: a parameter naming B deletes the attacker's own account only.
        using (var own = await attacker.Http.DeleteAsync("/v1/accounts/me?username=bob"))
        {
            Assert.Equal(HttpStatusCode.NoContent, own.StatusCode);
        }

        Assert.Equal(id, Assert.Single((await victim.FetchAsync()).Envelopes).Id);
        using var gone = await attacker.Http.GetAsync(ApiPaths.CurrentAccount);
        Assert.Equal(HttpStatusCode.Unauthorized, gone.StatusCode);
    }

    [Fact]
    public async Task A_cannot_change_Bs_keys_and_Bs_bundle_is_unchanged()
    {
        var before = await KeyStateAsync();
        var upload = JsonSerializer.SerializeToUtf8Bytes(
            new UploadKeysRequest(TestKeys.Signed(99), TestKeys.Kyber(98), TestKeys.OneTime(500, 3)), ParleyJsonContext.Default.UploadKeysRequest);
        foreach (var (method, path) in new[] { ("PUT", "/v1/keys/bob"), ("POST", "/v1/keys/bob"), ("PUT", "/v1/keys?username=bob"), ("PUT", "/v1/accounts/bob") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(upload) };
            request.Content.Headers.ContentType = new("application/json");
            using var response = await attacker.Http.SendAsync(request);
            if (path == "/v1/keys?username=bob")
            {
                // Lands on the attacker's own keys (the query is ignored), never on bob's.
                Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            }
            else
            {
                Assert.False(response.IsSuccessStatusCode, $"{method} {path}");
            }
        }

        Assert.Equal(before, await KeyStateAsync());
    }

    private static async Task<(HttpStatusCode Status, string Body)> AcknowledgeRawAsync(TestDevice device, Guid id)
    {
        using var response = await device.Http.PostAsJsonAsync(ApiPaths.Acknowledge, new AcknowledgeRequest([id]), ParleyJsonContext.Default.AcknowledgeRequest);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A hash over everything B's bundles are built from, read without consuming one-time keys.</summary>
    private async Task<string> KeyStateAsync()
    {
        var counts = await victim.Http.GetFromJsonAsync(ApiPaths.KeyCount, ParleyJsonContext.Default.PreKeyCountResponse);
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={relay.Server.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT hex(d.identity_key) || d.registration_id || s.key_id || hex(s.public_key) || hex(s.signature)
                   || k.key_id || hex(k.public_key) || hex(k.signature)
                   || (SELECT coalesce(group_concat(key_id || hex(public_key)), '') FROM one_time_prekeys WHERE account_id = a.id)
                   || (SELECT coalesce(group_concat(key_id || hex(public_key)), '') FROM one_time_kyber_prekeys WHERE account_id = a.id)
            FROM accounts a JOIN devices d ON d.account_id = a.id
            JOIN signed_prekeys s ON s.account_id = a.id JOIN last_resort_kyber_prekeys k ON k.account_id = a.id
            WHERE a.username = 'bob'
            """;
        var state = (string)(await command.ExecuteScalarAsync())!;
        return Convert.ToHexString(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(state))) + " " + counts;
    }
}
