using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Parley.Contracts.Errors;
using Parley.Contracts.Keys;
using Parley.Contracts.Messages;

namespace Parley.Server.Tests.Security;

/// <summary>
/// Hostile bodies on every route that takes one: each gets a problem response with a stable code, never a
/// 5xx. The mutation test (TESTPLAN B1 for the HTTP DTOs, at PR scale) flips, truncates, duplicates and
/// splices valid bodies.
/// </summary>
public sealed class BadInputTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestRelay relay = null!;
    private TestDevice alice = null!;

    public async Task InitializeAsync()
    {
        relay = await TestRelay.StartAsync(limits => limits.MaxKeysBodyBytes = 256 * 1024);
        alice = await relay.RegisterAsync("alice");
        await relay.RegisterAsync("bob");
    }

    public async Task DisposeAsync() => await relay.DisposeAsync();

    public static TheoryData<string, string> Routes() => new()
    {
        { "PUT", ApiPaths.Keys },
        { "PUT", ApiPaths.Send("bob") },
        { "POST", ApiPaths.Acknowledge },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Malformed_bodies_get_stable_problem_codes(string method, string path)
    {
        var valid = Encoding.UTF8.GetString(ValidBody(path));
        var cases = new (string Body, HttpStatusCode Status, string Code)[]
        {
            ("{", HttpStatusCode.BadRequest, ErrorCodes.InvalidJson),
            ("", HttpStatusCode.BadRequest, ErrorCodes.InvalidJson),
            ("null", HttpStatusCode.BadRequest, ErrorCodes.InvalidJson),
            ("\"text\"", HttpStatusCode.BadRequest, ErrorCodes.InvalidJson),
            ("{\"unknown\":1," + valid[1..], HttpStatusCode.BadRequest, ErrorCodes.InvalidJson),
            ("{\"a\":" + new string('[', 5000) + new string(']', 5000) + "}", HttpStatusCode.BadRequest, ErrorCodes.InvalidJson),
            (valid + valid, HttpStatusCode.BadRequest, ErrorCodes.InvalidJson),
            (valid.Replace("}", ",}", StringComparison.Ordinal), HttpStatusCode.BadRequest, ErrorCodes.InvalidJson),
            ("/* comment */" + valid, HttpStatusCode.BadRequest, ErrorCodes.InvalidJson),
            ("{\"x\":\"" + new string('a', 5 * 1024 * 1024) + "\"}", HttpStatusCode.RequestEntityTooLarge, ErrorCodes.PayloadTooLarge),
        };
        foreach (var (body, status, code) in cases)
        {
            using var response = await SendAsync(method, path, Encoding.UTF8.GetBytes(body));
            await ProblemAssert.IsAsync(response, status, code);
        }

        using var wrongType = await SendAsync(method, path, ValidBody(path), "text/plain");
        await ProblemAssert.IsAsync(wrongType, HttpStatusCode.UnsupportedMediaType, ErrorCodes.UnsupportedMediaType);
    }

    [Fact]
    public async Task Bad_base64_is_invalid_json()
    {
        var body = "{\"messageId\":\"" + Guid.NewGuid() + "\",\"timestamp\":1,\"envelopes\":[{\"deviceId\":1,\"type\":2,\"content\":\"not base64!\"}]}";
        using var response = await SendAsync("PUT", ApiPaths.Send("bob"), Encoding.UTF8.GetBytes(body));
        var problem = await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidJson);
        Assert.Contains("$.envelopes[0].content", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_thousand_mutated_bodies_never_get_a_5xx()
    {
        var random = new Random(20260101);
        var statuses = new Dictionary<int, int>();
        var seeds = Routes().Select(r => ((string)r[0], (string)r[1], ValidBody((string)r[1]))).ToList();
        for (var i = 0; i < 2000; i++)
        {
            var (method, path, seed) = seeds[i % seeds.Count];
            var body = Mutate(seed, random);
            using var response = await SendAsync(method, path, body);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            Assert.True(status < 500, $"{method} {path} answered {status} to a mutated body");
            if (status >= 400)
            {
                Assert.Equal(ParleyJson.ProblemMediaType, response.Content.Headers.ContentType?.MediaType);
            }
        }

        output.WriteLine("statuses: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} ×{s.Value}")));
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var body = seed.ToList();
        for (var n = random.Next(1, 4); n > 0 && body.Count > 0; n--)
        {
            var at = random.Next(body.Count);
            switch (random.Next(6))
            {
                case 0: body[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: body.RemoveRange(at, body.Count - at); break;
                case 2: body.InsertRange(at, body.GetRange(at, Math.Min(16, body.Count - at))); break;
                case 3: body[at] = (byte)"{}[]\",:0-e\\ \u0000"[random.Next(13)]; break;
                case 4: body.RemoveAt(at); break;
                default: body.InsertRange(at, Encoding.UTF8.GetBytes(random.Next(3) switch { 0 => "9999999999999999999", 1 => "null", _ => "\"\\u0000\"" })); break;
            }
        }

        return [.. body];
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, byte[] body, string mediaType = "application/json")
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);

        // The relay answers an oversized body's 413 from its Content-Length without reading the body; with
        // 100-continue the client waits for that answer instead of writing into a closing connection.
        request.Headers.ExpectContinue = true;
        return await alice.Http.SendAsync(request);
    }

    private static byte[] ValidBody(string path) => path switch
    {
        ApiPaths.Keys => JsonSerializer.SerializeToUtf8Bytes(
            new UploadKeysRequest(TestKeys.Signed(5), TestKeys.Kyber(6), TestKeys.OneTime(10, 2), TestKeys.OneTimeKyber(20, 1)), ParleyJsonContext.Default.UploadKeysRequest),
        ApiPaths.Acknowledge => JsonSerializer.SerializeToUtf8Bytes(new AcknowledgeRequest([Guid.NewGuid(), Guid.NewGuid()]), ParleyJsonContext.Default.AcknowledgeRequest),
        _ => JsonSerializer.SerializeToUtf8Bytes(TestDevice.Message(1, RandomNumberGenerator.GetBytes(40)), ParleyJsonContext.Default.SendMessageRequest),
    };
}
