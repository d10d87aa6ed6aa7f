using Parley.Server.Postgres.Tests.Cluster;

namespace Parley.Server.Postgres.Tests.Faults;

/// <summary>
/// TESTPLAN E1–E5 on two relay processes over one PostgreSQL: at least 20 simulated clients, at least 10,000
/// acknowledged messages per fault type (100,000 with <c>PARLEY_LONG_TESTS=1</c>), then every mailbox drained
/// within 30 s of the last fault and a history with nothing lost, nothing shown twice, nothing unexpected.
/// Each test prints its counts and times.
/// </summary>
[RequiresPostgres]
public sealed class DeliveryUnderFaultsTests(ITestOutputHelper output)
{
    /// <summary>
    /// E1: <c>kill -9</c> of a node under load, then a restart on the same port. Every other restart arms a crash
    /// point that kills the node between a send's commit and its answer, or between an HTTP acknowledgement's
    /// commit and its answer: the sender's retry must find the committed envelope (same id, no second copy).
    /// </summary>
    [PgFact]
    public async Task E1_killing_relay_nodes_loses_and_duplicates_nothing()
    {
        // Four faults at least, so that both crash points are armed on a restart.
        await using var run = await FaultRun.StartAsync(output, TestPostgres.Server, new FaultRunOptions { MinFaults = 4 });
        var restarts = 0;
        string[] crashPoints = ["after-commit-before-response", "after-ack-commit"];
        var diedAt = new Dictionary<string, int>();
        var report = await run.RunAsync("E1 kill -9", async run =>
        {
            await FaultRun.Hold(2000, 4000);
            var node = run.Nodes[Random.Shared.Next(run.Nodes.Count)];
            await node.KillAsync();
            await FaultRun.Hold(300, 1500);
            restarts++;
            // The n-th send (or HTTP acknowledgement) that reaches the point after the restart kills the node.
            var crashPoint = restarts % 2 == 0 ? crashPoints[restarts / 2 % 2] + ":" + Random.Shared.Next(5, 50).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            await node.StartAgainAsync(crashPoint);
            if (crashPoint is not null)
            {
                // Let the armed node die at its crash point under load, then bring it back clean.
                var died = await node.WaitForExitAsync(TimeSpan.FromSeconds(20));
                output.WriteLine($"E1: {node.Name} armed with {crashPoint}: {(died ? "died there" : "not reached in 20 s")}");
                if (died)
                {
                    var point = crashPoint[..crashPoint.IndexOf(':', StringComparison.Ordinal)];
                    diedAt[point] = diedAt.GetValueOrDefault(point) + 1;
                }

                await node.KillAsync();
                await node.StartAgainAsync();
            }
        });
        Assert.True(report.Valid);
        Assert.All(crashPoints, point => Assert.True(diedAt.GetValueOrDefault(point) > 0, $"no node died at {point}"));
    }

    /// <summary>
    /// E2: PostgreSQL is stopped with <c>pg_ctl stop -m immediate</c> (no checkpoint: crash recovery on restart)
    /// and started again, on a private cluster so that no other test is disturbed. Every acknowledged send was
    /// committed with <c>synchronous_commit = on</c>, which the relay checks at start (and a test asserts).
    /// </summary>
    [PgFact]
    public async Task E2_crashing_and_restarting_postgresql_loses_and_duplicates_nothing()
    {
        var server = await TestPostgres.StartPrivateAsync("e2");
        try
        {
            Assert.Equal("on", await server.ScalarAsync("SHOW synchronous_commit"));
            await using var run = await FaultRun.StartAsync(output, server, new FaultRunOptions());
            var report = await run.RunAsync("E2 PostgreSQL stop -m immediate", async run =>
            {
                await FaultRun.Hold(2000, 4000);
                await run.Server.StopImmediateAsync();
                await FaultRun.Hold(500, 2000);
                await run.Server.StartAsync();
                foreach (var node in run.Nodes)
                {
                    await node.WaitListeningAsync(TimeSpan.FromSeconds(30));
                }
            });
            Assert.True(report.Valid);
        }
        finally
        {
            await TestPostgres.DestroyPrivateAsync(server);
        }
    }

    /// <summary>
    /// E3: a node's LISTEN connection is terminated from the server (<c>pg_terminate_backend</c>), so wake-ups
    /// sent until it reconnects are lost. The periodic re-check is pushed out to 10 minutes in these runs:
    /// messages still arrive at once because the node re-drains every connected mailbox after reconnecting.
    /// </summary>
    [PgFact]
    public async Task E3_terminating_a_nodes_listen_connection_only_delays_delivery()
    {
        await using var run = await FaultRun.StartAsync(output, TestPostgres.Server, new FaultRunOptions { MinFaults = 6 });
        var report = await run.RunAsync("E3 pg_terminate_backend(LISTEN)", async run =>
        {
            await FaultRun.Hold(1000, 2500);
            var node = run.Nodes[Random.Shared.Next(run.Nodes.Count)];
            Assert.Equal(1, await node.TerminateListenBackendAsync());
            await node.WaitListeningAsync(TimeSpan.FromSeconds(30));
        });
        Assert.True(report.Valid);
        Assert.True(run.Nodes.Sum(n => n.ListenLostLines) >= 6, "every terminated LISTEN connection is noticed and logged");
    }

    /// <summary>
    /// E4: a node is frozen with SIGSTOP for 5–8 s (15 s in long runs) with its sockets and database sessions
    /// open, like a long GC pause, then resumed. Its clients time out and move; whatever it acknowledged before
    /// or after the pause stays delivered exactly once.
    /// </summary>
    [PgFact]
    public async Task E4_pausing_a_node_loses_and_duplicates_nothing()
    {
        await using var run = await FaultRun.StartAsync(output, TestPostgres.Server, new FaultRunOptions());
        var report = await run.RunAsync("E4 SIGSTOP/SIGCONT", async run =>
        {
            await FaultRun.Hold(2000, 4000);
            var node = run.Nodes[Random.Shared.Next(run.Nodes.Count)];
            await node.PauseAsync();
            await FaultRun.Hold(5000, FaultRunOptions.LongRuns ? 15000 : 8000);
            await node.ResumeAsync();
        });
        Assert.True(report.Valid);
    }

    /// <summary>
    /// E5: clients die at named points, after an envelope arrived but before it was persisted, and after it was
    /// persisted and shown but before it was acknowledged. After reconnecting (to either node) the relay
    /// redelivers what was not acknowledged; the client's dedup by envelope id keeps every message shown once.
    /// (The ratchet side of E5, decrypt-and-persist in one transaction, is the client SDK's test.)
    /// </summary>
    [PgFact]
    public async Task E5_clients_dying_between_receive_persist_and_ack_lose_and_duplicate_nothing()
    {
        var crashes = new ClientCrashPlan(probability: 0.01);
        await using var run = await FaultRun.StartAsync(output, TestPostgres.Server, new FaultRunOptions { ClientCrashes = crashes, MinFaults = 1 });
        var report = await run.RunAsync("E5 client crashes", _ => FaultRun.Hold(1000, 1000));

        output.WriteLine($"E5: client crashes after receive before persist {crashes.Count(ClientCrashPoint.AfterReceiveBeforePersist)}, after persist before ack {crashes.Count(ClientCrashPoint.AfterPersistBeforeAck)}");
        Assert.True(report.Valid);
        Assert.True(crashes.Count(ClientCrashPoint.AfterReceiveBeforePersist) > 0 && crashes.Count(ClientCrashPoint.AfterPersistBeforeAck) > 0);
        Assert.True(report.Redeliveries > 0, "crashed clients get their unacknowledged envelopes again");
    }
}
