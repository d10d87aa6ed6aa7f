using System.Diagnostics;
using System.Net.Sockets;
using Parley.Testing;

namespace Parley.Server.Tests.Security;

/// <summary>
/// TESTPLAN D6: 2,000 connections trickling header bytes, WebSockets that never answer pings, and 20
/// legitimate clients at the same time. The slow ones are closed within the header timeout + 5 s (the test
/// configures a 1 s header timeout), idle WebSockets within the keep-alive interval + timeout + 5 s, the
/// legitimate clients see no errors, and the file-descriptor count returns to its baseline. Latencies are
/// printed, not asserted: wall-clock ratios are not robust on a loaded 2-core machine.
/// </summary>
[Collection(IsolatedMeasurements.Name)]
public sealed class SlowClientTests(ITestOutputHelper output)
{
    private const int SlowConnections = 2000;
    private const int IdleWebSockets = 50;
    private const int LegitimateClients = 20;
    private static readonly TimeSpan HeaderTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Slow_and_silent_connections_are_closed_while_legitimate_clients_are_served()
    {
        await using var relay = await TestRelay.StartAsync(limits =>
        {
            limits.RequestHeadersTimeout = HeaderTimeout;
            limits.StreamKeepAliveInterval = KeepAlive;
            limits.StreamKeepAliveTimeout = KeepAlive;
        });
        var devices = new List<TestDevice>();
        for (var i = 0; i < LegitimateClients; i++)
        {
            devices.Add(await relay.RegisterAsync("user" + i));
        }

        var baselineLatencies = await RunLegitimateAsync(devices, rounds: 10);
        var baselineFds = OpenFileDescriptors();

        using var attack = new CancellationTokenSource();
        var slow = Enumerable.Range(0, SlowConnections).Select(_ => SlowlorisAsync(relay.BaseAddress, attack.Token)).ToList();
        var idle = new List<Task<TimeSpan>>();
        for (var i = 0; i < IdleWebSockets; i++)
        {
            idle.Add(SilentWebSocketAsync(relay.BaseAddress, devices[i % devices.Count].Authorization));
        }

        var underAttack = await RunLegitimateAsync(devices, rounds: 20);
        var slowClosed = await Task.WhenAll(slow);
        var idleClosed = await Task.WhenAll(idle);
        await attack.CancelAsync();

        output.WriteLine($"slow-header connections: {slowClosed.Length}, closed after max {slowClosed.Max().TotalSeconds:F1} s (header timeout {HeaderTimeout.TotalSeconds} s)");
        output.WriteLine($"silent WebSockets: {idleClosed.Length}, closed after max {idleClosed.Max().TotalSeconds:F1} s (keep-alive {KeepAlive.TotalSeconds} s + {KeepAlive.TotalSeconds} s)");
        output.WriteLine($"legitimate clients: p50/p99 baseline {P(baselineLatencies, 0.5):F1}/{P(baselineLatencies, 0.99):F1} ms, under attack {P(underAttack, 0.5):F1}/{P(underAttack, 0.99):F1} ms, {underAttack.Count} requests, 0 errors");
        Assert.All(slowClosed, t => Assert.True(t <= HeaderTimeout + Grace, $"a slow connection stayed {t.TotalSeconds:F1} s"));
        Assert.All(idleClosed, t => Assert.True(t <= KeepAlive + KeepAlive + Grace, $"a silent WebSocket stayed {t.TotalSeconds:F1} s"));

        await Eventually.TrueAsync(() => OpenFileDescriptors() <= baselineFds + 20, TimeSpan.FromSeconds(30), "file descriptors back to baseline");
        output.WriteLine($"file descriptors: baseline {baselineFds}, after {OpenFileDescriptors()}");
    }

    [Fact]
    public async Task An_idle_keep_alive_connection_is_closed_after_the_keep_alive_timeout()
    {
        await using var relay = await TestRelay.StartAsync(limits => limits.KeepAliveTimeout = TimeSpan.FromSeconds(1));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(relay.BaseAddress.Host, relay.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync("GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
        var started = Stopwatch.StartNew();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var answer = new List<byte>();
        int read;
        while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
        {
            answer.AddRange(buffer.AsSpan(0, read));
        }

        output.WriteLine($"idle keep-alive connection closed after {started.Elapsed.TotalSeconds:F1} s (timeout 1 s)");
        Assert.StartsWith("HTTP/1.1 200", System.Text.Encoding.ASCII.GetString([.. answer]), StringComparison.Ordinal);
        Assert.True(started.Elapsed <= TimeSpan.FromSeconds(1) + Grace, $"stayed open {started.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Each device sends one envelope and fetches, <paramref name="rounds"/> times; any failure throws.</summary>
    private static async Task<List<double>> RunLegitimateAsync(List<TestDevice> devices, int rounds)
    {
        var latencies = await Task.WhenAll(devices.Select(async (device, i) =>
        {
            var own = new List<double>();
            var peer = devices[(i + 1) % devices.Count].Username;
            for (var r = 0; r < rounds; r++)
            {
                var stopwatch = Stopwatch.StartNew();
                await device.SendAsync(peer);
                var batch = await device.FetchAsync();
                await device.AcknowledgeAsync([.. batch.Envelopes.Select(e => e.Id)]);
                own.Add(stopwatch.Elapsed.TotalMilliseconds);
            }

            return own;
        }));
        return [.. latencies.SelectMany(l => l)];
    }

    /// <summary>Connects, sends a header byte every 10 s; returns how long the relay kept the connection.</summary>
    private static async Task<TimeSpan> SlowlorisAsync(Uri address, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port, cancellationToken);
        var stream = tcp.GetStream();
        var started = Stopwatch.StartNew();
        var request = "GET /v1/health HTTP/1.1\r\nHost: x\r\n"u8.ToArray();
        var buffer = new byte[1024];
        for (var i = 0; i < request.Length; i++)
        {
            try
            {
                await stream.WriteAsync(request.AsMemory(i, 1), cancellationToken);
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                tick.CancelAfter(TimeSpan.FromSeconds(10));
                while (await stream.ReadAsync(buffer, tick.Token) > 0)
                {
                    // A 408 answer may come before the close; keep reading until the relay hangs up.
                }

                return started.Elapsed;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Ten seconds without a close: trickle the next byte.
            }
            catch (IOException)
            {
                return started.Elapsed;
            }
        }

        return started.Elapsed;
    }

    /// <summary>Opens a stream and never answers a ping; returns how long the relay kept it.</summary>
    private static async Task<TimeSpan> SilentWebSocketAsync(Uri address, string authorization)
    {
        await using var socket = await RawWebSocket.ConnectAsync(address, authorization);
        var started = Stopwatch.StartNew();

        // Reads (and ignores) frames, pings included, until the connection ends.
        await socket.ReadCloseCodeAsync(TimeSpan.FromSeconds(60));
        return started.Elapsed;
    }

    private static int OpenFileDescriptors() => Directory.GetFiles("/proc/self/fd").Length;

    private static double P(List<double> values, double quantile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(quantile * sorted.Count) - 1)];
    }
}
