using System.Diagnostics;
using System.Globalization;
using Parley.Server.Postgres.Tests.Cluster;
using Parley.Server.Postgres.Tests.History;

namespace Parley.Server.Postgres.Tests.Faults;

/// <summary>How a fault run is sized.</summary>
internal sealed record FaultRunOptions
{
    /// <summary>Simulated clients, spread over the nodes (TESTPLAN E: at least 20).</summary>
    public int Clients { get; init; } = 20;

    /// <summary>Concurrent send loops per client.</summary>
    public int SendersPerClient { get; init; } = 4;

    /// <summary>Acknowledged messages to reach before the nemesis stops (the issue: at least 10,000 per fault type).</summary>
    public long TargetAcknowledged { get; init; } = LongRuns ? 100_000 : 10_000;

    /// <summary>Faults to inject at least.</summary>
    public int MinFaults { get; init; } = 3;

    /// <summary>A run that cannot reach its target within this fails (it would say the relay is too slow or stuck).</summary>
    public TimeSpan MaxDuration { get; init; } = LongRuns ? TimeSpan.FromMinutes(30) : TimeSpan.FromMinutes(3);

    /// <summary>Every mailbox must be drained within this after the last fault is healed.</summary>
    public TimeSpan DrainWithin { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Simulated client crashes (E5), or none.</summary>
    public ClientCrashPlan? ClientCrashes { get; init; }

    /// <summary>More environment for every node.</summary>
    public IReadOnlyDictionary<string, string> NodeEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary><c>PARLEY_LONG_TESTS=1</c>: the long (N) runs with larger volumes.</summary>
    public static bool LongRuns => Environment.GetEnvironmentVariable("PARLEY_LONG_TESTS") == "1";
}

/// <summary>
/// One Jepsen-style run (TESTPLAN E): two relay processes on one PostgreSQL database, simulated clients that
/// send sequence-numbered messages to each other across both nodes while a nemesis injects faults; after the
/// last fault is healed every mailbox must drain, and the history checker must find nothing lost, nothing
/// shown twice and nothing unexpected.
/// </summary>
internal sealed class FaultRun : IAsyncDisposable
{
    private readonly ITestOutputHelper output;
    private readonly FaultRunOptions options;
    private readonly HttpClient http;
    private readonly CancellationTokenSource stopReceiving = new();
    private readonly List<Task> receivers = [];
    private HealthProbe? healthProbe;

    private FaultRun(ITestOutputHelper output, FaultRunOptions options, PostgresServer server, string connectionString, HttpClient http)
    {
        this.output = output;
        this.options = options;
        Server = server;
        ConnectionString = connectionString;
        this.http = http;
    }

    public PostgresServer Server { get; }

    public string ConnectionString { get; }

    public List<RelayNode> Nodes { get; } = [];

    public List<SimulatedClient> Clients { get; } = [];

    public HistoryRecorder History { get; } = new();

    public long Acknowledged => History.CountOf(EventKind.ServerAcked);

    public static async Task<FaultRun> StartAsync(ITestOutputHelper output, PostgresServer server, FaultRunOptions options)
    {
        var connectionString = await server.CreateDatabaseAsync("parley_fault");
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(2),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(10),
            MaxConnectionsPerServer = 256,
        };
        var run = new FaultRun(output, options, server, connectionString, new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan });
        try
        {
            var environment = new Dictionary<string, string>
            {
                // Every client is on 127.0.0.1: the per-IP and per-account limits are not what these tests measure.
                ["Parley__Limits__RequestsPerIp"] = "100000000",
                ["Parley__Limits__RequestsPerAccount"] = "100000000",
                ["Parley__Limits__RegistrationsPerIp"] = "100000000",

                // The periodic re-check is the relay's last safety net; pushing it out of the test's reach shows
                // that delivery here rests on the wake-ups and on the re-drain after a reconnect.
                ["Parley__Limits__StreamRecheckInterval"] = "00:10:00",

                // One line per relayed envelope is the operator log's job, not these tests'; warnings still show.
                ["Logging__Console__LogLevel__Parley.Relay"] = "Warning",
            };
            foreach (var (key, value) in options.NodeEnvironment)
            {
                environment[key] = value;
            }

            // One node first, so that migrations run once; the second finds the schema in place.
            run.Nodes.Add(await RelayNode.StartAsync("a", connectionString, environment));
            run.Nodes.Add(await RelayNode.StartAsync("b", connectionString, environment));
            run.healthProbe = new HealthProbe(run.Nodes);
            for (var i = 0; i < options.Clients; i++)
            {
                run.Clients.Add(await SimulatedClient.RegisterAsync(
                    run.http, run.Nodes, run.History, i, $"client{i:D3}", acknowledgesOverHttp: i % 2 == 1, options.ClientCrashes));
            }

            foreach (var client in run.Clients)
            {
                run.receivers.Add(Task.Run(() => client.ReceiveLoopAsync(run.stopReceiving.Token)));
            }

            await Parley.Testing.Eventually.TrueAsync(() => run.Clients.All(c => c.StreamSessions > 0), TimeSpan.FromSeconds(60), "every client streaming");
            return run;
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Sends under load while <paramref name="fault"/> is injected again and again (each call injects one fault
    /// and heals it), until the target volume and the minimum number of faults are reached; then drains and checks.
    /// </summary>
    public async Task<HistoryReport> RunAsync(string name, Func<FaultRun, Task> fault)
    {
        var clock = Stopwatch.StartNew();
        using var stopSending = new CancellationTokenSource();
        using var abandon = new CancellationTokenSource();
        var senders = Clients
            .SelectMany(client => Enumerable.Range(0, options.SendersPerClient).Select(_ => Task.Run(() => client.SendLoopAsync(Clients, stopSending.Token, abandon.Token))))
            .ToList();

        var faults = 0;
        while ((Acknowledged < options.TargetAcknowledged || faults < options.MinFaults) && clock.Elapsed < options.MaxDuration)
        {
            await fault(this);
            faults++;
        }

        var healedAt = clock.Elapsed;
        await stopSending.CancelAsync();
        abandon.CancelAfter(options.DrainWithin);
        await Task.WhenAll(senders);
        var sendingStopped = clock.Elapsed;

        // Every mailbox drained: each committed envelope was delivered, persisted and acknowledged by its device.
        var drainDeadline = healedAt + options.DrainWithin;
        long remaining = -1;
        while (clock.Elapsed < drainDeadline)
        {
            remaining = await Sql.CountAsync(ConnectionString, "SELECT count(*) FROM envelopes");
            if (remaining == 0)
            {
                break;
            }

            await Task.Delay(100);
        }

        var drained = clock.Elapsed;
        await stopReceiving.CancelAsync();
        await Task.WhenAll(receivers);

        var report = HistoryChecker.Check(History.Snapshot());
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name}: {faults} faults in {healedAt.TotalSeconds:F1} s; {report}"));
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name}: senders stopped {(sendingStopped - healedAt).TotalSeconds:F1} s and mailboxes drained {(drained - healedAt).TotalSeconds:F1} s after the last fault was healed (bound {options.DrainWithin.TotalSeconds:F0} s); " +
            $"acknowledged/s {report.Acknowledged / healedAt.TotalSeconds:F0}; client stream moves {Clients.Sum(c => c.Moves)}; stream sessions {Clients.Sum(c => c.StreamSessions)}; " +
            $"node runs {string.Join(", ", Nodes.Select(n => $"{n.Name}={n.Runs}"))}; wake-up connection losses logged {string.Join(", ", Nodes.Select(n => $"{n.Name}={n.ListenLostLines}"))}"));

        Assert.True(faults >= options.MinFaults, $"only {faults} faults were injected");
        Assert.True(report.Acknowledged >= options.TargetAcknowledged, $"only {report.Acknowledged} of {options.TargetAcknowledged} messages were acknowledged within {options.MaxDuration}");
        Assert.True(remaining == 0, $"{remaining} envelopes were still in mailboxes {options.DrainWithin.TotalSeconds} s after the last fault\n{Transcripts()}");
        Assert.True(report.Lost.Count == 0, $"lost messages: {report}\n{Transcripts()}");
        Assert.True(report.Duplicated.Count == 0, $"messages shown twice: {report}");
        Assert.True(report.Unexpected.Count == 0, $"unexpected messages: {report}");
        return report;
    }

    /// <summary>A random pause of <paramref name="minMs"/>..<paramref name="maxMs"/> milliseconds (scheduling of faults, not a wait for a condition).</summary>
    public static Task Hold(int minMs, int maxMs) => Task.Delay(Random.Shared.Next(minMs, maxMs + 1));

    public string Transcripts() => string.Join('\n', Nodes.Select(n => n.Transcript));

    public async ValueTask DisposeAsync()
    {
        await stopReceiving.CancelAsync();
        try
        {
            await Task.WhenAll(receivers);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
        {
            // The run already failed; the nodes and database go regardless.
        }

        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }

        if (healthProbe is not null)
        {
            await healthProbe.DisposeAsync();
        }

        http.Dispose();
        stopReceiving.Dispose();
        try
        {
            await Server.DropDatabaseAsync(ConnectionString);
        }
        catch (Npgsql.NpgsqlException)
        {
            // A private cluster that is being torn down; nothing to keep.
        }
    }
}
