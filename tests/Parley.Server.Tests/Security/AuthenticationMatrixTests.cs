using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Parley.Contracts.Accounts;
using Parley.Contracts.Keys;
using Parley.Contracts.Messages;

namespace Parley.Server.Tests.Security;

/// <summary>TESTPLAN D1: every route × every kind of bad credentials → never 2xx.</summary>
public sealed class AuthenticationMatrixTests(ITestOutputHelper output)
{
    /// <summary>
    /// Every route the relay maps. A new route makes <see cref="The_known_route_list_matches_the_relays_endpoints"/>
    /// fail until it is added here, with its anonymous flag and a valid body, and so joins the matrix below.
    /// </summary>
    private static readonly (string Method, string Pattern, bool Anonymous)[] KnownRoutes =
    [
        ("GET", "/v1/health", true),
        ("POST", "/v1/accounts", true),
        ("GET", "/v1/accounts/me", false),
        ("DELETE", "/v1/accounts/me", false),
        ("PUT", "/v1/keys", false),
        ("GET", "/v1/keys/count", false),
        ("GET", "/v1/keys/{username}", false),
        ("PUT", "/v1/messages/{username}", false),
        ("GET", "/v1/messages", false),
        ("POST", "/v1/messages/ack", false),
        ("GET", "/v1/stream", false),
        ("CONNECT", "/v1/stream", false),
    ];

    [Fact]
    public async Task The_known_route_list_matches_the_relays_endpoints()
    {
        await using var relay = await TestRelay.StartAsync();
        var mapped = relay.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => (Method: m, Pattern: e.RoutePattern.RawText!)))
            .OrderBy(r => r.Pattern).ThenBy(r => r.Method)
            .ToList();
        var known = KnownRoutes.Select(r => (r.Method, r.Pattern)).OrderBy(r => r.Pattern).ThenBy(r => r.Method).ToList();
        Assert.Equal(known, mapped);
    }

    [Fact]
    public async Task No_authenticated_route_answers_2xx_to_missing_wrong_deleted_or_malformed_credentials()
    {
        await using var relay = await TestRelay.StartAsync();
        var victim = await relay.RegisterAsync("victim", oneTimePreKeys: 10, oneTimeKyberPreKeys: 10);
        var sender = await relay.RegisterAsync("sender");
        var pending = await sender.SendAsync("victim");
        var deleted = await relay.RegisterAsync("gone");
        using (var delete = await deleted.Http.DeleteAsync(ApiPaths.CurrentAccount))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        var credentials = new Dictionary<string, string?>
        {
            ["none"] = null,
            ["wrong password"] = BasicCredentials.HeaderValue("victim", 1, RandomNumberGenerator.GetBytes(32)),
            ["other device id"] = BasicCredentials.HeaderValue("victim", 2, victim.Password),
            ["unknown user"] = BasicCredentials.HeaderValue("nobody", 1, victim.Password),
            ["deleted account"] = deleted.Authorization,
            ["password of another account"] = BasicCredentials.HeaderValue("victim", 1, sender.Password),
            ["not base64"] = "Basic !!!notbase64",
            ["bearer scheme"] = "Bearer " + Convert.ToBase64String(victim.Password),
            ["no device id"] = "Basic " + B64("victim:" + Convert.ToBase64String(victim.Password)),
            ["no password"] = "Basic " + B64("victim.1"),
            ["device 0"] = "Basic " + B64("victim.0:" + Convert.ToBase64String(victim.Password)),
            ["device 128"] = "Basic " + B64("victim.128:" + Convert.ToBase64String(victim.Password)),
            ["short password"] = "Basic " + B64("victim.1:" + Convert.ToBase64String(victim.Password[..31])),
            ["raw password"] = "Basic " + B64("victim.1:" + Encoding.Latin1.GetString(victim.Password)),
            ["empty"] = "Basic ",
            ["huge"] = "Basic " + new string('A', 4000),
        };

        var checkedRequests = 0;
        foreach (var (method, pattern, anonymous) in KnownRoutes.Where(r => !r.Anonymous && r.Method != "CONNECT"))
        {
            foreach (var (what, header) in credentials)
            {
                using var client = relay.Anonymous();
                using var request = new HttpRequestMessage(new HttpMethod(method), pattern.Replace("{username}", "victim", StringComparison.Ordinal))
                {
                    Content = ValidBody(method, pattern),
                };
                if (header is not null)
                {
                    request.Headers.TryAddWithoutValidation("Authorization", header);
                }

                using var response = await client.SendAsync(request);
                Assert.True(
                    response.StatusCode == HttpStatusCode.Unauthorized,
                    $"{method} {pattern} with {what} credentials answered {(int)response.StatusCode}");
                var problem = await response.Content.ReadFromJsonAsync(ParleyJsonContext.Default.ApiProblem);
                Assert.Equal("unauthorized", problem!.Code);
                checkedRequests++;
            }
        }

        output.WriteLine($"{checkedRequests} unauthenticated requests, all 401");

        // The victim is untouched: account, keys and mailbox as before.
        Assert.Equal(pending, Assert.Single((await victim.FetchAsync()).Envelopes).Id);
        var counts = await victim.Http.GetFromJsonAsync(ApiPaths.KeyCount, ParleyJsonContext.Default.PreKeyCountResponse);
        Assert.Equal(new PreKeyCountResponse(10, 10), counts);
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static ByteArrayContent? ValidBody(string method, string pattern)
    {
        byte[]? json = (method, pattern) switch
        {
            ("PUT", "/v1/keys") => JsonSerializer.SerializeToUtf8Bytes(
                new UploadKeysRequest(OneTimePreKeys: TestKeys.OneTime(900, 5)), ParleyJsonContext.Default.UploadKeysRequest),
            ("PUT", "/v1/messages/{username}") => JsonSerializer.SerializeToUtf8Bytes(
                TestDevice.Message(1, [1, 2, 3]), ParleyJsonContext.Default.SendMessageRequest),
            ("POST", "/v1/messages/ack") => JsonSerializer.SerializeToUtf8Bytes(
                new AcknowledgeRequest([Guid.NewGuid()]), ParleyJsonContext.Default.AcknowledgeRequest),
            _ => null,
        };
        if (json is null)
        {
            return null;
        }

        var content = new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
