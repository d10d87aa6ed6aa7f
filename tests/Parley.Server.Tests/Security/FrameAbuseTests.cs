using System.Diagnostics;
using System.Text;
using Parley.Contracts.Realtime;

namespace Parley.Server.Tests.Security;

/// <summary>TESTPLAN D5: hostile WebSocket frames get the right close code, and memory stays flat.</summary>
[Collection(IsolatedMeasurements.Name)]
public sealed class FrameAbuseTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    private TestRelay relay = null!;
    private TestDevice device = null!;

    /// <summary>Each abuse: what it is, what the attacker writes, the close code the relay must send.</summary>
    private static readonly string[] AbuseNames =
    [
        "oversized frame (16 MiB claimed)",
        "fragments adding up past the cap",
        "continuation without a start",
        "invalid UTF-8 in a text frame",
        "unknown data opcode",
        "unknown control opcode",
        "unmasked client frame",
        "ping with a 200-byte payload",
        "JSON nested 10^4 deep",
        "binary frame",
        "unknown frame type",
        "unknown field in an ack",
        "not JSON",
    ];

    public static TheoryData<string> Abuses => new(AbuseNames);

    public async Task InitializeAsync()
    {
        relay = await TestRelay.StartAsync(limits => limits.MaxStreamFrameBytes = 64 * 1024);
        device = await relay.RegisterAsync("target");
    }

    public async Task DisposeAsync() => await relay.DisposeAsync();

    [Theory]
    [MemberData(nameof(Abuses))]
    public async Task A_hostile_frame_closes_the_stream_with_the_right_code(string abuse)
    {
        if (!FrameworkOwned(abuse))
        {
            Assert.Equal(Expected(abuse), await AttemptAsync(abuse));
            return;
        }

        // Protocol errors and bad UTF-8 are detected inside the framework's WebSocket, which sends its close code
        // and then aborts the connection; now and then the abort overtakes the close frame. Never another code,
        // and the right one seen.
        var codes = new List<int?>();
        for (var i = 0; i < 10; i++)
        {
            codes.Add(await AttemptAsync(abuse));
        }

        Assert.All(codes, code => Assert.True(code is null || code == Expected(abuse), $"close code {code}"));
        Assert.Contains(Expected(abuse), codes);
    }

    [Fact]
    public async Task Fragmented_frames_within_the_cap_are_reassembled_and_accepted()
    {
        var sender = await relay.RegisterAsync("sender");
        var id = await sender.SendAsync("target");
        await using var socket = await RawWebSocket.ConnectAsync(relay.BaseAddress, device.Authorization);
        var ack = Encoding.UTF8.GetBytes($"{{\"type\":\"ack\",\"ids\":[\"{id}\"]}}");
        await socket.SendFrameAsync(RawWebSocket.Text, ack.AsMemory(0, 10), fin: false);
        await socket.SendFrameAsync(RawWebSocket.Ping, "mid-message ping"u8.ToArray());
        await socket.SendFrameAsync(RawWebSocket.Continuation, ack.AsMemory(10, 10), fin: false);
        await socket.SendFrameAsync(RawWebSocket.Continuation, ack.AsMemory(20), fin: true);
        await socket.SendFrameAsync(RawWebSocket.Close, new byte[] { 0x03, 0xE8 });
        Assert.Equal(StreamCloseCodes.NormalClosure, await socket.ReadCloseCodeAsync(Within));
        Assert.Empty((await device.FetchAsync()).Envelopes);
    }

    [Fact]
    public async Task A_flood_of_acknowledgements_for_nothing_is_closed_with_1008_after_the_limit()
    {
        var sender = await relay.RegisterAsync("sender");
        var real = await sender.SendAsync("target");
        await using var socket = await RawWebSocket.ConnectAsync(relay.BaseAddress, device.Authorization);

        // A real acknowledgement in between resets the count: 99 useless, 1 real, then 100 useless to the close.
        for (var i = 0; i < 99; i++)
        {
            await socket.SendFrameAsync(RawWebSocket.Text, Encoding.UTF8.GetBytes($"{{\"type\":\"ack\",\"ids\":[\"{Guid.NewGuid()}\"]}}"));
        }

        await socket.SendFrameAsync(RawWebSocket.Text, Encoding.UTF8.GetBytes($"{{\"type\":\"ack\",\"ids\":[\"{real}\"]}}"));
        for (var i = 0; i < 100; i++)
        {
            await socket.TrySendFrameAsync(RawWebSocket.Text, Encoding.UTF8.GetBytes($"{{\"type\":\"ack\",\"ids\":[\"{Guid.NewGuid()}\"]}}"));
        }

        Assert.Equal(StreamCloseCodes.PolicyViolation, await socket.ReadCloseCodeAsync(Within));
        Assert.Empty((await device.FetchAsync()).Envelopes);
    }

    [Fact]
    public async Task A_thousand_hostile_attempts_do_not_grow_memory_by_50_MB()
    {
        var abuses = AbuseNames;
        await AttemptAsync(abuses[0]);
        var before = SettledWorkingSet();
        var stopwatch = Stopwatch.StartNew();
        var wrong = new List<string>();
        var dropped = 0;
        for (var round = 0; round < 1000 / 4; round++)
        {
            var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(async i =>
            {
                var abuse = abuses[((round * 4) + i) % abuses.Length];
                var code = await AttemptAsync(abuse);
                if (code is null && FrameworkOwned(abuse))
                {
                    Interlocked.Increment(ref dropped);
                    return null;
                }

                return code == Expected(abuse) ? null : $"{abuse}: {code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no close frame"}";
            }));
            wrong.AddRange(results.OfType<string>());
        }

        var after = SettledWorkingSet();
        var growth = (after - before) / (1024.0 * 1024.0);
        output.WriteLine($"1000 hostile attempts in {stopwatch.Elapsed.TotalSeconds:F1} s; working set {before / 1048576.0:F1} MB -> {after / 1048576.0:F1} MB (growth {growth:F1} MB); framework-detected faults that ended without the close frame reaching us: {dropped}");
        Assert.True(wrong.Count == 0, string.Join("; ", wrong.GroupBy(w => w).Select(g => $"{g.Key} ×{g.Count()}")));
        Assert.True(growth < 50, $"working set grew by {growth:F1} MB");
    }

    /// <summary>Faults the framework's WebSocket detects itself (it sends its close code, then aborts).</summary>
    private static bool FrameworkOwned(string abuse) =>
        Expected(abuse) == StreamCloseCodes.ProtocolError || abuse == "invalid UTF-8 in a text frame";

    private static int Expected(string abuse) => abuse switch
    {
        "oversized frame (16 MiB claimed)" or "fragments adding up past the cap" => StreamCloseCodes.MessageTooBig,
        "invalid UTF-8 in a text frame" or "JSON nested 10^4 deep" or "unknown frame type" or "unknown field in an ack" or "not JSON"
            => StreamCloseCodes.InvalidPayloadData,
        "binary frame" => StreamCloseCodes.UnsupportedData,
        _ => StreamCloseCodes.ProtocolError,
    };

    private async Task<int?> AttemptAsync(string abuse)
    {
        await using var socket = await RawWebSocket.ConnectAsync(relay.BaseAddress, device.Authorization);
        switch (abuse)
        {
            case "oversized frame (16 MiB claimed)":
                await socket.TrySendFrameAsync(RawWebSocket.Text, new byte[(64 * 1024) + 4096], claimedLength: 16L * 1024 * 1024);
                break;
            case "fragments adding up past the cap":
                await socket.TrySendFrameAsync(RawWebSocket.Text, new byte[16 * 1024], fin: false);
                for (var i = 0; i < 5; i++)
                {
                    await socket.TrySendFrameAsync(RawWebSocket.Continuation, new byte[16 * 1024], fin: false);
                }

                break;
            case "continuation without a start":
                await socket.TrySendFrameAsync(RawWebSocket.Continuation, "{}"u8.ToArray());
                break;
            case "invalid UTF-8 in a text frame":
                await socket.TrySendFrameAsync(RawWebSocket.Text, new byte[] { (byte)'{', 0xC3, 0x28, 0xFF, (byte)'}' });
                break;
            case "unknown data opcode":
                await socket.TrySendFrameAsync(0x3, "{}"u8.ToArray());
                break;
            case "unknown control opcode":
                await socket.TrySendFrameAsync(0xB, "x"u8.ToArray());
                break;
            case "unmasked client frame":
                await socket.TrySendFrameAsync(RawWebSocket.Text, "{\"type\":\"ack\",\"ids\":[]}"u8.ToArray(), masked: false);
                break;
            case "ping with a 200-byte payload":
                await socket.TrySendFrameAsync(RawWebSocket.Ping, new byte[200]);
                break;
            case "JSON nested 10^4 deep":
                await socket.TrySendFrameAsync(RawWebSocket.Text, Encoding.ASCII.GetBytes("{\"type\":\"ack\",\"ids\":" + new string('[', 10_000) + new string(']', 10_000) + "}"));
                break;
            case "binary frame":
                await socket.TrySendFrameAsync(RawWebSocket.Binary, new byte[] { 1, 2, 3 });
                break;
            case "unknown frame type":
                await socket.TrySendFrameAsync(RawWebSocket.Text, "{\"type\":\"subscribe\",\"user\":\"bob\"}"u8.ToArray());
                break;
            case "unknown field in an ack":
                await socket.TrySendFrameAsync(RawWebSocket.Text, "{\"type\":\"ack\",\"ids\":[],\"all\":true}"u8.ToArray());
                break;
            case "not JSON":
                await socket.TrySendFrameAsync(RawWebSocket.Text, "ack everything"u8.ToArray());
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(abuse), abuse, null);
        }

        return await socket.ReadCloseCodeAsync(Within);
    }

    private static long SettledWorkingSet()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }
}
