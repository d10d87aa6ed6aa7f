namespace Parley.Server.Postgres.Tests.Cluster;

/// <summary>
/// What a load balancer's active health check does: polls every node's <c>GET /v1/health</c> with a short
/// timeout and takes a node out of rotation while it does not answer, so that new requests go to the nodes that
/// do. Requests already in flight to a node that stops answering still wait for their own timeout, as they
/// would behind a real balancer.
/// </summary>
internal sealed class HealthProbe : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromMilliseconds(750);

    private readonly HttpClient http = new(new SocketsHttpHandler { ConnectTimeout = ProbeTimeout, PooledConnectionLifetime = TimeSpan.FromSeconds(5) })
    {
        Timeout = ProbeTimeout,
    };

    private readonly CancellationTokenSource stop = new();
    private readonly Task[] loops;

    public HealthProbe(IEnumerable<RelayNode> nodes)
    {
        loops = nodes.Select(node => Task.Run(() => ProbeLoopAsync(node, stop.Token))).ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        stop.Dispose();
        http.Dispose();
    }

    private async Task ProbeLoopAsync(RelayNode node, CancellationToken cancel)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                node.InRotation = await AnswersAsync(node, cancel);
            }
            while (await timer.WaitForNextTickAsync(cancel));
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // Run over.
        }
        finally
        {
            node.InRotation = true;
        }
    }

    private async Task<bool> AnswersAsync(RelayNode node, CancellationToken cancel)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(node.Url, "/v1/health"), cancel);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancel.IsCancellationRequested)
        {
            return false;
        }
    }
}
