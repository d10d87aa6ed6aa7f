using Parley.Contracts.Errors;

namespace Parley.Server.Tests.Security;

/// <summary>TESTPLAN D4 on one node: twice the limit within a second → the limit accepted, the rest 429 with Retry-After.</summary>
public sealed class RateLimitTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Per_account_limit_admits_the_limit_and_rejects_the_rest_with_retry_after()
    {
        const int limit = 20;
        await using var relay = await TestRelay.StartAsync(limits =>
        {
            limits.RequestsPerAccount = limit;
            limits.RateLimitWindow = TimeSpan.FromMinutes(1);
        });
        var alice = await relay.RegisterAsync("alice");
        var bob = await relay.RegisterAsync("bob");

        var statuses = await BurstAsync(2 * limit, () => alice.Http.GetAsync(ApiPaths.KeyCount));
        var accepted = statuses.Count(s => s.Status == HttpStatusCode.OK);
        output.WriteLine($"per account: {accepted} accepted, {statuses.Count(s => s.Status == HttpStatusCode.TooManyRequests)} rejected of {statuses.Count}");
        Assert.InRange(accepted, limit - 1, limit);
        Assert.All(statuses.Where(s => s.Status != HttpStatusCode.OK), s =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, s.Status);
            Assert.InRange(s.RetryAfter ?? 0, 1, 60);
            Assert.Equal(ErrorCodes.RateLimited, s.Code);
        });

        // Another account is not affected by alice's budget.
        using var other = await bob.Http.GetAsync(ApiPaths.KeyCount);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Per_ip_limit_counts_every_request_including_failed_authentication()
    {
        const int limit = 30;
        await using var relay = await TestRelay.StartAsync(limits =>
        {
            limits.RequestsPerIp = limit;
            limits.RateLimitWindow = TimeSpan.FromMinutes(1);
        });
        var anonymous = relay.Anonymous();

        var statuses = await BurstAsync(2 * limit, () => anonymous.GetAsync(ApiPaths.KeyCount));
        var unauthorized = statuses.Count(s => s.Status == HttpStatusCode.Unauthorized);
        var limited = statuses.Count(s => s.Status == HttpStatusCode.TooManyRequests);
        output.WriteLine($"per IP: {unauthorized} reached authentication, {limited} rejected with 429 of {statuses.Count}");
        Assert.InRange(unauthorized, limit - 1, limit);
        Assert.Equal(2 * limit, unauthorized + limited);
        Assert.All(statuses.Where(s => s.Status == HttpStatusCode.TooManyRequests), s => Assert.NotNull(s.RetryAfter));

        // Health checks are never throttled, so a load balancer keeps seeing the node.
        using var health = await anonymous.GetAsync(ApiPaths.Health);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Registrations_per_ip_are_limited()
    {
        await using var relay = await TestRelay.StartAsync(limits => limits.RegistrationsPerIp = 3);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await relay.Anonymous().PostAsJsonAsync(
                ApiPaths.Accounts, TestKeys.Registration("user" + i), ParleyJsonContext.Default.RegisterAccountRequest);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Created, 3), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)], statuses);
    }

    private static async Task<List<(HttpStatusCode Status, int? RetryAfter, string? Code)>> BurstAsync(int count, Func<Task<HttpResponseMessage>> send)
    {
        var results = await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            using var response = await send();
            var code = response.Content.Headers.ContentType?.MediaType == ParleyJson.ProblemMediaType
                ? (await response.Content.ReadFromJsonAsync(ParleyJsonContext.Default.ApiProblem))?.Code
                : null;
            return (response.StatusCode, (int?)response.Headers.RetryAfter?.Delta?.TotalSeconds, code);
        }));
        return [.. results];
    }
}
