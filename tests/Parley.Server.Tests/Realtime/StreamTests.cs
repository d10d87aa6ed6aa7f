using System.Net.WebSockets;
using Parley.Contracts.Errors;
using Parley.Contracts.Realtime;
using Parley.Testing;

namespace Parley.Server.Tests.Realtime;

public sealed class StreamTests : IAsyncLifetime
{
    private TestRelay relay = null!;

    public async Task InitializeAsync() => relay = await TestRelay.StartAsync(limits => limits.FetchBatchSize = 7);

    public async Task DisposeAsync() => await relay.DisposeAsync();

    [Fact]
    public async Task The_stream_drains_the_mailbox_in_order_then_pushes_new_envelopes()
    {
        var alice = await relay.RegisterAsync("alice");
        var bob = await relay.RegisterAsync("bob");
        var waiting = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            waiting.Add(await alice.SendAsync("bob", [(byte)i]));
        }

        await using var stream = await bob.ConnectAsync();
        var drained = await stream.ReceiveUntilDrainedAsync();
        Assert.Equal(waiting, drained.Select(e => e.Id));

        var pushed = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var id = await alice.SendAsync("bob", [(byte)(100 + i)]);
            pushed.Add(id);
            var envelope = await stream.ReceiveEnvelopeAsync();
            Assert.Equal(id, envelope.Id);
            Assert.Equal([(byte)(100 + i)], envelope.Content);
        }

        // Sends racing each other still arrive in mailbox order, each once.
        var burst = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => alice.SendAsync("bob")));
        var received = new List<Guid>();
        for (var i = 0; i < burst.Length; i++)
        {
            received.Add((await stream.ReceiveEnvelopeAsync()).Id);
        }

        Assert.Equal(burst.Order(), received.Order());
        var mailboxOrder = await RelayDatabase.IdsInMailboxOrderAsync(relay, "bob");
        Assert.Equal([.. waiting, .. pushed, .. received], mailboxOrder);
    }

    [Fact]
    public async Task Unacknowledged_envelopes_are_redelivered_on_the_next_connection_with_the_same_id()
    {
        var alice = await relay.RegisterAsync("alice");
        var bob = await relay.RegisterAsync("bob");
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await alice.SendAsync("bob"));
        }

        await using (var first = await bob.ConnectAsync())
        {
            Assert.Equal(ids, (await first.ReceiveUntilDrainedAsync()).Select(e => e.Id));
            await first.AcknowledgeAsync(ids[0], ids[2]);

            // An acknowledgement is applied before the relay handles the next frame; a fetch shows its effect.
            await Eventually.TrueAsync(async () => (await bob.FetchAsync()).Envelopes.Count == 2, TimeSpan.FromSeconds(10), "acks applied");
        }

        await using var second = await bob.ConnectAsync();
        Assert.Equal([ids[1], ids[3]], (await second.ReceiveUntilDrainedAsync()).Select(e => e.Id));
        await second.AcknowledgeAsync(ids[1], ids[3]);
        await Eventually.TrueAsync(async () => (await bob.FetchAsync()).Envelopes.Count == 0, TimeSpan.FromSeconds(10), "acks applied");

        await using var third = await bob.ConnectAsync();
        Assert.Empty(await third.ReceiveUntilDrainedAsync());
    }

    [Fact]
    public async Task A_device_cannot_acknowledge_another_devices_envelopes_over_the_stream()
    {
        var alice = await relay.RegisterAsync("alice");
        var bob = await relay.RegisterAsync("bob");
        var carol = await relay.RegisterAsync("carol");
        var forBob = await alice.SendAsync("bob");
        var forCarol = await alice.SendAsync("carol");

        await using var stream = await carol.ConnectAsync();
        Assert.Equal([forCarol], (await stream.ReceiveUntilDrainedAsync()).Select(e => e.Id));
        await stream.AcknowledgeAsync(forBob, forCarol);
        await Eventually.TrueAsync(async () => (await carol.FetchAsync()).Envelopes.Count == 0, TimeSpan.FromSeconds(10), "carol's ack applied");
        Assert.Equal(forBob, Assert.Single((await bob.FetchAsync()).Envelopes).Id);
    }

    [Fact]
    public async Task The_stream_needs_credentials_and_a_websocket_upgrade()
    {
        var bob = await relay.RegisterAsync("bob");
        var anonymous = new ClientWebSocket();
        var uri = new UriBuilder(relay.BaseAddress) { Scheme = "ws", Path = ApiPaths.Stream }.Uri;
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => anonymous.ConnectAsync(uri, CancellationToken.None));
        Assert.Contains("401", refused.Message, StringComparison.Ordinal);

        using var plain = await bob.Http.GetAsync(ApiPaths.Stream);
        await ProblemAssert.IsAsync(plain, HttpStatusCode.BadRequest, ErrorCodes.WebSocketRequired);
    }

    [Fact]
    public async Task Deleting_the_account_closes_its_open_stream()
    {
        var bob = await relay.RegisterAsync("bob");
        await using var stream = await bob.ConnectAsync();
        Assert.Empty(await stream.ReceiveUntilDrainedAsync());

        using var delete = await bob.Http.DeleteAsync(ApiPaths.CurrentAccount);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Null(await stream.ReceiveAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, stream.Socket.CloseStatus);
    }

    [Fact]
    public async Task Stopping_the_relay_closes_streams_with_going_away()
    {
        await using var own = await TestRelay.StartAsync();
        var bob = await own.RegisterAsync("bob");
        var stream = await bob.ConnectAsync();
        Assert.Empty(await stream.ReceiveUntilDrainedAsync());

        var stopping = own.Server.StopAsync();
        Assert.Null(await stream.ReceiveAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, stream.Socket.CloseStatus);
        await stream.DisposeAsync();
        await stopping;
    }

    [Fact]
    public async Task A_frame_is_a_typed_json_object_with_the_envelope_id()
    {
        var alice = await relay.RegisterAsync("alice");
        var bob = await relay.RegisterAsync("bob");
        var id = await alice.SendAsync("bob", [7, 7, 7]);
        await using var stream = await bob.ConnectAsync();
        var buffer = new byte[4096];
        var result = await stream.Socket.ReceiveAsync(buffer, CancellationToken.None);
        var json = System.Text.Encoding.UTF8.GetString(buffer, 0, result.Count);
        Assert.StartsWith("{\"type\":\"envelope\",\"envelope\":{\"id\":\"" + id + "\"", json, StringComparison.Ordinal);
        Assert.Contains("\"content\":\"BwcH\"", json, StringComparison.Ordinal);
        Assert.IsType<DrainedFrame>(await stream.ReceiveAsync());
    }
}
