using System.Globalization;
using System.Security.Cryptography;
using Parley.Client.Diagnostics;
using Parley.Client.Tests.Support;
using Xunit.Abstractions;

namespace Parley.Client.Tests;

/// <summary>
/// TESTPLAN E5/E6 (the receiving or sending client dies at a named point) and F4 (the process is killed at a
/// random moment during saves). The client runs as a child process (<see cref="ChildHost"/>), the relay and
/// the other party in this process.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private static readonly bool Long = Environment.GetEnvironmentVariable("PARLEY_LONG_TESTS") is "1";
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(120);

    public static TheoryData<string> ReceiveCrashPoints => new()
    {
        CrashPoints.AfterDecryptBeforeCommit,
        CrashPoints.AfterCommitBeforeAck,
        CrashPoints.DuringSessionSave,
    };

    [Theory]
    [MemberData(nameof(ReceiveCrashPoints))]
    public async Task A_receiver_killed_at_a_crash_point_loses_nothing_shows_nothing_twice_and_keeps_decrypting(string crashPoint)
    {
        var iterations = Long ? 10 : 1;
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            await using var relay = await TestRelay.StartAsync();
            await using var alice = await TestProfiles.CreateAsync("alice", relay.Url);
            var bobDir = TestFiles.NewDirectory("bob");
            await (await TestProfiles.CreateAsync("bob", relay.Url, bobDir)).DisposeAsync();

            const int first = 10;
            var sent = new List<string>();
            for (var i = 0; i < first; i++)
            {
                sent.Add((await alice.SendTextAsync("bob", $"message {i}")).MessageId.ToString("N"));
            }

            // Visit 1 is the PreKey message that starts the session; any visit up to the last is fair.
            var visit = RandomNumberGenerator.GetInt32(1, first + 1);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var crashed = await RunReceiverAsync(bobDir, crashPoint, visit);
            var crashMs = watch.ElapsedMilliseconds;
            Assert.NotEqual(0, crashed.ExitCode);
            Assert.Contains("READY", crashed.Lines);
            watch.Restart();
            var recovered = await RunReceiverAsync(bobDir, null, 0);
            var recoverMs = watch.ElapsedMilliseconds;
            Assert.Equal(0, recovered.ExitCode);

            var shown = crashed.Messages.Concat(recovered.Messages).ToList();
            Assert.True(shown.Count == shown.Distinct().Count(), "shown twice: " + string.Join(" | ", crashed.Lines) + " // " + string.Join(" | ", recovered.Lines));
            Assert.Equal(sent.Order(StringComparer.Ordinal), shown.Order(StringComparer.Ordinal));
            output.WriteLine($"{crashPoint} at visit {visit}: shown {crashed.Messages.Count} before the crash, {recovered.Messages.Count} after; 0 lost, 0 twice " +
                $"(crashed run {crashMs} ms, recovery run {recoverMs} ms)");

            // The ratchet is intact: the next 100 messages decrypt, and bob can answer.
            await using var bob = await TestProfiles.OpenAsync(bobDir);
            var next = new List<Guid>();
            for (var i = 0; i < 100; i++)
            {
                next.Add((await alice.SendTextAsync("bob", $"after the crash {i}")).MessageId);
            }

            var received = await Conversation.ReceiveAsync(bob, 100);
            Assert.Equal(next, received.Select(m => m.Id));
            await bob.SendTextAsync("alice", "still in sync");
            Assert.Equal("still in sync", Assert.Single(await Conversation.ReceiveAsync(alice, 1)).Text);
            Assert.Equal(first + 100, (await bob.GetConversationAsync("alice", 1000)).Count(m => m.Direction == MessageDirection.Incoming));
        }
    }

    [Fact]
    public async Task A_fetching_receiver_killed_between_commit_and_acknowledgement_reports_each_message_once()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var alice = await TestProfiles.CreateAsync("alice", relay.Url);
        var bobDir = TestFiles.NewDirectory("bob");
        await (await TestProfiles.CreateAsync("bob", relay.Url, bobDir)).DisposeAsync();
        var sent = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            sent.Add((await alice.SendTextAsync("bob", $"message {i}")).MessageId.ToString("N"));
        }

        var environment = new Dictionary<string, string> { ["PARLEY_CRASH_POINT"] = CrashPoints.AfterCommitBeforeAck, ["PARLEY_CRASH_AFTER"] = "3" };
        using (var crashing = ChildProcess.Start(["receive-fetch", bobDir], environment))
        {
            Assert.NotEqual(0, await crashing.WaitForExitAsync(ChildTimeout));
            Assert.DoesNotContain(crashing.Lines, l => l.StartsWith("MSG", StringComparison.Ordinal));
        }

        using var again = ChildProcess.Start(["receive-fetch", bobDir]);
        Assert.Equal(0, await again.WaitForExitAsync(ChildTimeout));
        var shown = again.Lines.Where(l => l.StartsWith("MSG ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]).ToList();
        Assert.Equal(sent, shown);
    }

    public static TheoryData<string> SendCrashPoints => new()
    {
        CrashPoints.AfterOutboxBeforeSend,
        CrashPoints.AfterSendBeforeOutboxDelete,
    };

    [Theory]
    [MemberData(nameof(SendCrashPoints))]
    public async Task A_sender_killed_mid_send_delivers_the_message_exactly_once_after_restart(string crashPoint)
    {
        await using var relay = await TestRelay.StartAsync();
        await using var bob = await TestProfiles.CreateAsync("bob", relay.Url);
        var aliceDir = TestFiles.NewDirectory("alice");
        await (await TestProfiles.CreateAsync("alice", relay.Url, aliceDir)).DisposeAsync();

        using (var crashing = ChildProcess.Start(["send", aliceDir, "bob", "survives a crash"], new Dictionary<string, string> { ["PARLEY_CRASH_POINT"] = crashPoint }))
        {
            Assert.NotEqual(0, await crashing.WaitForExitAsync(ChildTimeout));
            Assert.DoesNotContain(crashing.Lines, l => l.StartsWith("SENT", StringComparison.Ordinal));
        }

        await using (var alice = await TestProfiles.OpenAsync(aliceDir))
        {
            var flushed = await alice.FlushOutboxAsync();
            Assert.Equal(new OutboxFlushResult(1, 0, 0), flushed);
            Assert.Equal(DeliveryState.Sent, Assert.Single(await alice.GetConversationAsync("bob")).Delivery);
        }

        var received = await Conversation.ReceiveAsync(bob, 1);
        Assert.Equal("survives a crash", Assert.Single(received).Text);
        Assert.Empty((await bob.FetchPendingAsync(TimeSpan.FromMilliseconds(500))).OfType<IncomingMessage>());
    }

    /// <summary>
    /// TESTPLAN F4: 1,000 kills, as the plan asks, in every run. Two writers run at a time (each on its own
    /// profile), which halves the wall time on two cores; each kill lands 0–60 ms after the writer reported
    /// READY, i.e. at a random point of its back-to-back saves.
    /// </summary>
    [Fact]
    public async Task Killing_the_process_at_random_moments_during_saves_always_leaves_the_old_or_the_new_state()
    {
        const int workers = 2;
        var iterations = Long ? 4000 : 1000;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, workers).Select(w => KillWriterRepeatedlyAsync($"f4-{w}", iterations / workers)));
        var outcomes = results.SelectMany(r => r).GroupBy(o => o.Key).ToDictionary(g => g.Key, g => g.Sum(o => o.Value));
        Assert.Equal(iterations, outcomes.Values.Sum());
        output.WriteLine($"F4: {iterations} kills in {watch.Elapsed.TotalSeconds:F0} s ({workers} at a time); every load consistent: " +
            string.Join(", ", outcomes.Select(o => $"{o.Value} {o.Key}")));
    }

    private static async Task<Dictionary<string, int>> KillWriterRepeatedlyAsync(string name, int iterations)
    {
        var directory = TestFiles.NewDirectory(name);
        await (await TestProfiles.CreateAsync("alice", null, directory)).DisposeAsync();
        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < iterations; i++)
        {
            long before;
            long lastPrinted;
            using (var child = ChildProcess.Start(["store-writer", directory]))
            {
                var ready = await child.WaitForLineAsync("READY", ChildTimeout) ?? throw new InvalidOperationException("writer exited: " + child.StandardError);
                before = long.Parse(ready.Split(' ')[1], CultureInfo.InvariantCulture);
                await Task.Delay(RandomNumberGenerator.GetInt32(0, 61));
                child.Kill();
                await child.WaitForExitAsync(ChildTimeout);
                lastPrinted = child.Lines.Where(l => l.StartsWith("COMMITTED ", StringComparison.Ordinal))
                    .Select(l => long.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture)).DefaultIfEmpty(before).Max();
            }

            await using var client = await TestProfiles.OpenAsync(directory);
            var generations = await client.Context.Database.ReadAsync(tx => ValueTask.FromResult(ChildHost.ReadGenerations(tx)), CancellationToken.None);
            Assert.True(generations.Distinct().Count() == 1, $"{name} iteration {i}: a torn save: {string.Join(",", generations)}");
            var loaded = generations[0];
            Assert.True(loaded == lastPrinted || loaded == lastPrinted + 1, $"{name} iteration {i}: loaded {loaded}, last reported commit {lastPrinted}");
            var kind = loaded == before ? "no save committed" : loaded == lastPrinted ? "last reported save" : "one more (committed, not yet reported)";
            outcomes[kind] = outcomes.GetValueOrDefault(kind) + 1;
        }

        return outcomes;
    }

    private async Task<ReceiverRun> RunReceiverAsync(string directory, string? crashPoint, int visit)
    {
        var environment = new Dictionary<string, string>();
        if (crashPoint is not null)
        {
            environment["PARLEY_CRASH_POINT"] = crashPoint;
            environment["PARLEY_CRASH_AFTER"] = visit.ToString(CultureInfo.InvariantCulture);
        }

        using var child = ChildProcess.Start(["receive-live", directory, "1000", "1500"], environment);
        var exit = await child.WaitForExitAsync(ChildTimeout);
        if (crashPoint is null && exit != 0)
        {
            output.WriteLine(child.StandardError);
        }

        return new ReceiverRun(exit, child.Lines, [.. child.Lines.Where(l => l.StartsWith("MSG ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1])]);
    }

    private sealed record ReceiverRun(int ExitCode, List<string> Lines, List<string> Messages);
}
