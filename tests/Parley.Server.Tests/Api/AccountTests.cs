using System.Text;
using Microsoft.Data.Sqlite;
using Parley.Contracts.Accounts;
using Parley.Contracts.Errors;

namespace Parley.Server.Tests.Api;

public sealed class AccountTests : IAsyncLifetime
{
    private TestRelay relay = null!;

    public async Task InitializeAsync() => relay = await TestRelay.StartAsync();

    public async Task DisposeAsync() => await relay.DisposeAsync();

    [Fact]
    public async Task Registration_returns_device_1_and_a_32_byte_credential_that_authenticates()
    {
        var alice = await relay.RegisterAsync("alice");

        Assert.Equal(1, alice.DeviceId);
        Assert.Equal(32, alice.Password.Length);
        var me = await alice.Http.GetFromJsonAsync(ApiPaths.CurrentAccount, ParleyJsonContext.Default.AccountResponse);
        Assert.Equal("alice", me!.Username);
        Assert.Equal([new DeviceInfo(1, alice.Keys.RegistrationId)], me.Devices);
    }

    [Fact]
    public async Task Usernames_are_normalised_and_unique()
    {
        var first = await relay.RegisterAsync("  Alice_01 ");
        Assert.Equal("alice_01", first.Username);

        using var again = await relay.Anonymous().PostAsJsonAsync(
            ApiPaths.Accounts, TestKeys.Registration("ALICE_01"), ParleyJsonContext.Default.RegisterAccountRequest);
        await ProblemAssert.IsAsync(again, HttpStatusCode.Conflict, ErrorCodes.UsernameTaken);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("a234567890123456789012345678901234")]
    [InlineData("1alice")]
    [InlineData("_alice")]
    [InlineData("al.ice")]
    [InlineData("al ice")]
    [InlineData("al-ice")]
    [InlineData("álice")]
    [InlineData("\u212Aate")]
    [InlineData("alice\u0000")]
    public async Task Invalid_usernames_are_rejected_with_username_invalid(string username)
    {
        using var response = await relay.Anonymous().PostAsJsonAsync(
            ApiPaths.Accounts, TestKeys.Registration(username), ParleyJsonContext.Default.RegisterAccountRequest);
        var problem = await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, ErrorCodes.UsernameInvalid);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
    }

    [Fact]
    public async Task Concurrent_registrations_of_one_name_admit_exactly_one()
    {
        var attempts = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await relay.Anonymous().PostAsJsonAsync(
                ApiPaths.Accounts, TestKeys.Registration("racer"), ParleyJsonContext.Default.RegisterAccountRequest);
            return response.StatusCode;
        }));

        Assert.Equal(1, attempts.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(19, attempts.Count(s => s == HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task Deleting_an_account_removes_its_devices_keys_and_mailboxes()
    {
        var alice = await relay.RegisterAsync("alice");
        var bob = await relay.RegisterAsync("bob", oneTimePreKeys: 5, oneTimeKyberPreKeys: 5);
        await alice.SendAsync("bob");
        await bob.SendAsync("alice");

        using (var delete = await bob.Http.DeleteAsync(ApiPaths.CurrentAccount))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        using (var bundle = await alice.Http.GetAsync(ApiPaths.Bundle("bob")))
        {
            await ProblemAssert.IsAsync(bundle, HttpStatusCode.NotFound, ErrorCodes.NotFound);
        }

        using (var send = await alice.SendRawAsync("bob", TestDevice.Message(1, [1, 2, 3])))
        {
            await ProblemAssert.IsAsync(send, HttpStatusCode.NotFound, ErrorCodes.NotFound);
        }

        using (var me = await bob.Http.GetAsync(ApiPaths.CurrentAccount))
        {
            await ProblemAssert.IsAsync(me, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        }

        // Nothing of bob is left in any table; alice's mail from bob is not bob's to delete.
        await using var connection = new SqliteConnection($"Data Source={relay.Server.DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        foreach (var table in new[] { "devices", "signed_prekeys", "last_resort_kyber_prekeys", "one_time_prekeys", "one_time_kyber_prekeys", "envelopes" })
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT count(*) FROM {table} WHERE account_id NOT IN (SELECT id FROM accounts)";
            Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
        }

        using (var count = connection.CreateCommand())
        {
            count.CommandText = "SELECT count(*) FROM accounts WHERE username = 'bob'";
            Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
        }

        Assert.Single((await alice.FetchAsync()).Envelopes);
        var again = await relay.RegisterAsync("bob");
        Assert.Empty((await again.FetchAsync()).Envelopes);
    }

    public static TheoryData<string, string, HttpStatusCode, string> BadBodies()
    {
        var valid = Encoding.UTF8.GetString(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(
            TestKeys.Registration("carol"), ParleyJsonContext.Default.RegisterAccountRequest));
        var data = new TheoryData<string, string, HttpStatusCode, string>
        {
            { "malformed JSON", "{\"username\": \"carol\",", HttpStatusCode.BadRequest, ErrorCodes.InvalidJson },
            { "not an object", "[1,2,3]", HttpStatusCode.BadRequest, ErrorCodes.InvalidJson },
            { "null body", "null", HttpStatusCode.BadRequest, ErrorCodes.InvalidJson },
            { "empty body", "", HttpStatusCode.BadRequest, ErrorCodes.InvalidJson },
            { "unknown field", valid.Replace("{\"username\"", "{\"admin\":true,\"username\"", StringComparison.Ordinal), HttpStatusCode.BadRequest, ErrorCodes.InvalidJson },
            { "missing field", "{\"username\":\"carol\"}", HttpStatusCode.BadRequest, ErrorCodes.InvalidJson },
            { "bad base64", valid.Replace("\"identityKey\":\"", "\"identityKey\":\"!!", StringComparison.Ordinal), HttpStatusCode.BadRequest, ErrorCodes.InvalidJson },
            { "string for a number", valid.Replace("\"registrationId\":", "\"registrationId\":\"7\",\"x\":", StringComparison.Ordinal), HttpStatusCode.BadRequest, ErrorCodes.InvalidJson },
            { "deep nesting", "{\"username\":" + new string('[', 10_000) + new string(']', 10_000) + "}", HttpStatusCode.BadRequest, ErrorCodes.InvalidJson },
            { "oversized body", "{\"username\":\"" + new string('a', 2 * 1024 * 1024) + "\"}", HttpStatusCode.RequestEntityTooLarge, ErrorCodes.PayloadTooLarge },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Malformed_registration_bodies_get_problem_details_never_a_500(string what, string body, HttpStatusCode status, string code)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var client = relay.Anonymous();
        client.DefaultRequestHeaders.ExpectContinue = true;
        using var response = await client.PostAsync(ApiPaths.Accounts, content);
        var problem = await ProblemAssert.IsAsync(response, status, code);
        Assert.False(string.IsNullOrEmpty(problem.Detail), what);
    }

    [Fact]
    public async Task A_body_that_is_not_json_gets_415()
    {
        using var content = new StringContent("username=carol", Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await relay.Anonymous().PostAsync(ApiPaths.Accounts, content);
        await ProblemAssert.IsAsync(response, HttpStatusCode.UnsupportedMediaType, ErrorCodes.UnsupportedMediaType);
    }

    [Fact]
    public async Task Registration_ids_outside_1_to_16380_are_rejected()
    {
        foreach (var id in new[] { 0, -1, 16381, int.MaxValue })
        {
            using var response = await relay.Anonymous().PostAsJsonAsync(
                ApiPaths.Accounts, TestKeys.Registration("dave") with { RegistrationId = id }, ParleyJsonContext.Default.RegisterAccountRequest);
            await ProblemAssert.IsAsync(response, HttpStatusCode.UnprocessableEntity, ErrorCodes.InvalidRegistrationId);
        }
    }

    [Fact]
    public async Task Health_answers_ready_without_credentials()
    {
        var health = await relay.Anonymous().GetFromJsonAsync(ApiPaths.Health, ParleyJsonContext.Default.HealthResponse);
        Assert.Equal(new HealthResponse("ready", "v1"), health);
    }
}
