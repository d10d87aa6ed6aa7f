using System.Net;
using System.Net.Http.Json;
using Parley.Contracts;
using Parley.Contracts.Keys;

namespace Parley.Server.Postgres.Tests.Cluster;

/// <summary>Two relay processes on one PostgreSQL behave as one relay: any client may use any node.</summary>
[RequiresPostgres]
public sealed class MultiNodeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    [PgFact]
    public async Task Clients_on_different_nodes_exchange_messages_in_real_time()
    {
        await using var cluster = await TwoNodes.StartAsync();
        var alice = await ClusterDevice.RegisterAsync(cluster.Http, cluster.A, "alice");
        var bob = await ClusterDevice.RegisterAsync(cluster.Http, cluster.B, "bob");
        await using var aliceStream = await alice.StreamAsync(cluster.A);
        await using var bobStream = await bob.StreamAsync(cluster.B);
        Assert.Empty(await aliceStream.ReceiveUntilDrainedAsync(Prompt));
        Assert.Empty(await bobStream.ReceiveUntilDrainedAsync(Prompt));

        // Each sends through its own node; the other's stream is on the other node. The periodic re-check is
        // 10 minutes away, so each arrival within seconds was pushed by a LISTEN/NOTIFY wake-up.
        var latencies = new List<TimeSpan>();
        for (var i = 0; i < 20; i++)
        {
            var (from, via, to, stream) = i % 2 == 0 ? (alice, cluster.A, bob, bobStream) : (bob, cluster.B, alice, aliceStream);
            var started = System.Diagnostics.Stopwatch.StartNew();
            var id = await from.SendAsync(via, to, [(byte)i]);
            var envelope = await stream.ReceiveEnvelopeAsync(Prompt);
            latencies.Add(started.Elapsed);
            Assert.Equal(id, envelope.Id);
            Assert.Equal(from.Username, envelope.SourceUsername);
            Assert.Equal([(byte)i], envelope.Content);
            await stream.AcknowledgeAsync(envelope.Id);
        }

        output.WriteLine($"cross-node send→push: median {latencies.Order().ElementAt(latencies.Count / 2).TotalMilliseconds:F1} ms, max {latencies.Max().TotalMilliseconds:F1} ms over {latencies.Count} messages");
        await Parley.Testing.Eventually.TrueAsync(
            async () => await Sql.CountAsync(cluster.ConnectionString, "SELECT count(*) FROM envelopes") == 0, Prompt, "all acknowledged");
    }

    [PgFact]
    public async Task A_client_that_moves_from_node_a_to_node_b_receives_everything_once()
    {
        await using var cluster = await TwoNodes.StartAsync();
        var alice = await ClusterDevice.RegisterAsync(cluster.Http, cluster.A, "alice");
        var bob = await ClusterDevice.RegisterAsync(cluster.Http, cluster.A, "bob");
        var sent = new List<Guid>();
        var shown = new List<Guid>();
        var delivered = new List<Guid>();

        // On node A: five messages (sent through B) arrive and are acknowledged.
        var onA = await bob.StreamAsync(cluster.A);
        Assert.Empty(await onA.ReceiveUntilDrainedAsync(Prompt));
        for (var i = 0; i < 5; i++)
        {
            sent.Add(await alice.SendAsync(cluster.B, bob, [(byte)i]));
            var envelope = await onA.ReceiveEnvelopeAsync(Prompt);
            delivered.Add(envelope.Id);
            Show(envelope.Id);
            await onA.AcknowledgeAsync(envelope.Id);
        }

        // Three more arrive on A, but bob acknowledges only the first before he leaves A.
        for (var i = 5; i < 8; i++)
        {
            sent.Add(await alice.SendAsync(cluster.B, bob, [(byte)i]));
            var envelope = await onA.ReceiveEnvelopeAsync(Prompt);
            delivered.Add(envelope.Id);
            Show(envelope.Id);
        }

        await onA.AcknowledgeAsync(sent[5]);
        await onA.DisposeAsync();

        // While bob is between nodes, two more are sent (through A).
        sent.Add(await alice.SendAsync(cluster.A, bob, [8]));
        sent.Add(await alice.SendAsync(cluster.A, bob, [9]));

        // On node B: the unacknowledged two come again, then the two new ones, then live pushes.
        await using var onB = await bob.StreamAsync(cluster.B);
        var drained = await onB.ReceiveUntilDrainedAsync(Prompt);
        Assert.Equal(sent[6..10], drained.Select(e => e.Id));
        foreach (var envelope in drained)
        {
            delivered.Add(envelope.Id);
            Show(envelope.Id);
            await onB.AcknowledgeAsync(envelope.Id);
        }

        sent.Add(await alice.SendAsync(cluster.A, bob, [10]));
        var live = await onB.ReceiveEnvelopeAsync(Prompt);
        delivered.Add(live.Id);
        Show(live.Id);
        await onB.AcknowledgeAsync(live.Id);

        Assert.Equal(sent, shown);
        Assert.Equal(2, delivered.Count - delivered.Distinct().Count());
        output.WriteLine($"sent {sent.Count}, delivered {delivered.Count} (2 redelivered after the move), shown {shown.Count}");
        await Parley.Testing.Eventually.TrueAsync(
            async () => await Sql.CountAsync(cluster.ConnectionString, "SELECT count(*) FROM envelopes") == 0, Prompt, "all acknowledged");

        void Show(Guid id)
        {
            // The client's dedup by envelope id: a redelivery is not shown again.
            if (!shown.Contains(id))
            {
                shown.Add(id);
            }
        }
    }

    [PgFact]
    public async Task Concurrent_bundle_fetches_through_both_nodes_hand_out_each_one_time_prekey_once()
    {
        await using var cluster = await TwoNodes.StartAsync();
        var bob = await ClusterDevice.RegisterAsync(cluster.Http, cluster.A, "bob", oneTimePreKeys: 50);
        var fetchers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => ClusterDevice.RegisterAsync(cluster.Http, i % 2 == 0 ? cluster.A : cluster.B, $"fetcher{i}")));

        var bundles = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            using var response = await fetchers[i % 10].RequestAsync(HttpMethod.Get, i % 2 == 0 ? cluster.A : cluster.B, ApiPaths.Bundle(bob.Username));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync(ParleyJsonContext.Default.PreKeyBundleResponse))!.Devices.Single();
        }));

        var handedOut = bundles.Where(b => b.PreKey is not null).Select(b => b.PreKey!.KeyId).ToList();
        output.WriteLine($"100 fetches through 2 nodes against 50 one-time prekeys: {handedOut.Count} handed out, {handedOut.Distinct().Count()} distinct, {bundles.Count(b => b.PreKey is null)} without");
        Assert.Equal(50, handedOut.Count);
        Assert.Equal(50, handedOut.Distinct().Count());
        Assert.Equal(50, bundles.Count(b => b.PreKey is null));
        using var count = await bob.RequestAsync(HttpMethod.Get, cluster.B, ApiPaths.KeyCount);
        Assert.Equal(new PreKeyCountResponse(0, 0), await count.Content.ReadFromJsonAsync(ParleyJsonContext.Default.PreKeyCountResponse));
    }

    /// <summary>
    /// <c>--store postgres --postgres …</c>, the environment (<c>Parley__Store</c>, <c>ConnectionStrings__Parley</c>)
    /// and <c>appsettings.json</c> each put a node on the same database: an account registered through one node
    /// is known to the others.
    /// </summary>
    [PgFact]
    public async Task Nodes_configured_by_arguments_environment_or_appsettings_share_one_database()
    {
        var database = await TestPostgres.Server.CreateDatabaseAsync("parley_config");
        var nodes = new List<RelayNode>();
        try
        {
            foreach (var configuration in Enum.GetValues<StoreConfiguration>())
            {
                nodes.Add(await RelayNode.StartAsync(configuration.ToString().ToLowerInvariant(), database, configuration: configuration));
            }

            using var http = new HttpClient();
            var alice = await ClusterDevice.RegisterAsync(http, nodes[0], "alice");
            foreach (var node in nodes)
            {
                using var response = await alice.RequestAsync(HttpMethod.Get, node, ApiPaths.CurrentAccount);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            output.WriteLine($"nodes configured by {string.Join(", ", Enum.GetValues<StoreConfiguration>())} all serve the account registered on the first");
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            await TestPostgres.Server.DropDatabaseAsync(database);
        }
    }
}
