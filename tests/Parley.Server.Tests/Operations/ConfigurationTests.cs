using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Parley.Contracts.Accounts;
using Parley.Contracts.Messages;

namespace Parley.Server.Tests.Operations;

/// <summary>Limits come from <c>Parley:Limits</c> configuration (command line or <c>Parley__Limits__*</c> environment), as documented.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public async Task The_message_retention_is_configurable_and_sets_each_stored_envelopes_expiry()
    {
        var options = new RelayOptions { DataDirectory = Path.Combine(Path.GetTempPath(), "parley-config-tests", Guid.NewGuid().ToString("N")) };
        options.Urls.Clear();
        options.Urls.Add("http://127.0.0.1:0");
        options.ConfigurationArgs.Add("--Parley:Limits:MessageRetention=02:00:00");
        await using var relay = await RelayServer.StartAsync(options);
        Assert.Equal(TimeSpan.FromHours(2), relay.Services.GetRequiredService<RelayLimits>().MessageRetention);

        using var http = new HttpClient { BaseAddress = relay.BaseAddress };
        var alice = await RegisterAsync(http, "alice");
        await RegisterAsync(http, "bob");
        var before = DateTimeOffset.UtcNow;
        using var send = new HttpRequestMessage(HttpMethod.Put, ApiPaths.Send("bob"))
        {
            Content = JsonContent.Create(
                new SendMessageRequest(Guid.NewGuid(), before.ToUnixTimeMilliseconds(), [new OutgoingEnvelope(1, EnvelopeType.Whisper, new byte[100])]),
                ParleyJsonContext.Default.SendMessageRequest),
        };
        send.Headers.Authorization = AuthenticationHeaderValue.Parse(alice.AuthorizationHeaderValue());
        using var sent = await http.SendAsync(send);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);

        await using var database = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(options.DataDirectory, "relay.db")};Mode=ReadOnly");
        await database.OpenAsync();
        using var query = database.CreateCommand();
        query.CommandText = "SELECT expires_at FROM envelopes";
        var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds((long)(await query.ExecuteScalarAsync())!);
        Assert.InRange(expiresAt - before, TimeSpan.FromHours(2) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
    }

    private static async Task<RegisterAccountResponse> RegisterAsync(HttpClient http, string username)
    {
        using var response = await http.PostAsJsonAsync(ApiPaths.Accounts, TestKeys.Registration(username), ParleyJsonContext.Default.RegisterAccountRequest);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(ParleyJsonContext.Default.RegisterAccountResponse))!;
    }
}
