using System.Net;
using Parley.Contracts;

namespace Parley.Server.Postgres.Tests.Cluster;

/// <summary>
/// TESTPLAN D4 on each of 2 nodes: limits are counted per node, so each node admits its limit and answers the
/// rest 429 with Retry-After, and the cluster as a whole admits at most nodes × limit (the bound documented in
/// docs/operations.md).
/// </summary>
[RequiresPostgres]
public sealed class ClusterRateLimitTests(ITestOutputHelper output)
{
    private const int Limit = 20;

    [PgFact]
    public async Task Each_node_admits_its_per_account_limit_and_the_cluster_at_most_twice_that()
    {
        await using var cluster = await TwoNodes.StartAsync(new Dictionary<string, string>
        {
            ["Parley__Limits__RequestsPerAccount"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Parley__Limits__RateLimitWindow"] = "00:01:00",
        });
        var alice = await ClusterDevice.RegisterAsync(cluster.Http, cluster.A, "alice");

        var onA = await BurstAsync(2 * Limit, () => alice.RequestAsync(HttpMethod.Get, cluster.A, ApiPaths.KeyCount));
        var onB = await BurstAsync(2 * Limit, () => alice.RequestAsync(HttpMethod.Get, cluster.B, ApiPaths.KeyCount));

        var (acceptedA, acceptedB) = (onA.Count(s => s.Status == HttpStatusCode.OK), onB.Count(s => s.Status == HttpStatusCode.OK));
        output.WriteLine($"per account, limit {Limit} per node: node a accepted {acceptedA} of {onA.Count}, node b accepted {acceptedB} of {onB.Count}; cluster {acceptedA + acceptedB} ≤ 2 × {Limit}");
        Assert.InRange(acceptedA, Limit - 1, Limit + 1);
        Assert.InRange(acceptedB, Limit - 1, Limit + 1);
        Assert.InRange(acceptedA + acceptedB, 0, 2 * Limit);
        Assert.All(onA.Concat(onB).Where(s => s.Status != HttpStatusCode.OK), s =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, s.Status);
            Assert.InRange(s.RetryAfter ?? 0, 1, 60);
        });
    }

    [PgFact]
    public async Task Each_node_admits_its_per_ip_limit_and_the_cluster_at_most_twice_that()
    {
        await using var cluster = await TwoNodes.StartAsync(new Dictionary<string, string>
        {
            ["Parley__Limits__RequestsPerIp"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Parley__Limits__RateLimitWindow"] = "00:01:00",
        });

        // Anonymous requests to an authenticated route: counted per IP before authentication answers 401.
        var onA = await BurstAsync(2 * Limit, () => cluster.Http.GetAsync(new Uri(cluster.A.Url, ApiPaths.KeyCount)));
        var onB = await BurstAsync(2 * Limit, () => cluster.Http.GetAsync(new Uri(cluster.B.Url, ApiPaths.KeyCount)));

        var (passedA, passedB) = (onA.Count(s => s.Status == HttpStatusCode.Unauthorized), onB.Count(s => s.Status == HttpStatusCode.Unauthorized));
        output.WriteLine($"per IP, limit {Limit} per node: node a let {passedA} of {onA.Count} through, node b {passedB} of {onB.Count}; cluster {passedA + passedB} ≤ 2 × {Limit}");
        Assert.InRange(passedA, Limit - 1, Limit + 1);
        Assert.InRange(passedB, Limit - 1, Limit + 1);
        Assert.InRange(passedA + passedB, 0, 2 * Limit);
        Assert.All(onA.Concat(onB).Where(s => s.Status != HttpStatusCode.Unauthorized), s =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, s.Status);
            Assert.NotNull(s.RetryAfter);
        });
    }

    /// <summary>Sends <paramref name="count"/> requests at once (well within a second on loopback).</summary>
    private static async Task<List<(HttpStatusCode Status, int? RetryAfter)>> BurstAsync(int count, Func<Task<HttpResponseMessage>> send)
    {
        var results = await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            using var response = await send();
            var retryAfter = response.Headers.RetryAfter?.Delta is { } delta ? (int?)delta.TotalSeconds : null;
            return (response.StatusCode, retryAfter);
        }));
        return [.. results];
    }
}
