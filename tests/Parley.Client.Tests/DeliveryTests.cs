using Parley.Client.Messaging;
using Parley.Client.Storage;
using Parley.Client.Tests.Support;
using Parley.Protocol;

namespace Parley.Client.Tests;

/// <summary>Outbox, retries, device-list changes and duplicate deliveries.</summary>
public sealed class DeliveryTests
{
    [Fact]
    public async Task Relay_outage_queues_the_message_and_the_outbox_delivers_it_once_when_the_relay_returns()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var alice = await TestProfiles.CreateAsync("alice", relay.Url);
        await using var bob = await TestProfiles.CreateAsync("bob", relay.Url);
        await using var carol = await TestProfiles.CreateAsync("carol", relay.Url);
        await alice.SendTextAsync("bob", "before the outage");
        await Conversation.ReceiveAsync(bob, 1);

        await relay.StopAsync();
        var queued = await alice.SendTextAsync("bob", "during the outage");
        var firstContact = await alice.SendTextAsync("carol", "first contact during the outage");
        Assert.Equal(DeliveryState.Queued, queued.State);
        Assert.Equal(DeliveryState.Queued, firstContact.State);
        Assert.Empty(queued.Devices);
        Assert.Equal(new OutboxFlushResult(0, 0, 2), await alice.FlushOutboxAsync());

        await relay.StartAgainAsync();
        Assert.Equal(new OutboxFlushResult(2, 0, 0), await alice.FlushOutboxAsync());
        Assert.Equal(new OutboxFlushResult(0, 0, 0), await alice.FlushOutboxAsync());

        var atBob = await Conversation.ReceiveAsync(bob, 1);
        Assert.Equal(queued.MessageId, Assert.Single(atBob).Id);
        Assert.Equal(firstContact.MessageId, Assert.Single(await Conversation.ReceiveAsync(carol, 1)).Id);
        Assert.Empty((await bob.FetchPendingAsync(TimeSpan.FromMilliseconds(500))).OfType<IncomingMessage>());
        Assert.Equal(DeliveryState.Sent, (await alice.GetConversationAsync("bob")).Single(m => m.Id == queued.MessageId).Delivery);
    }

    [Fact]
    public async Task The_receive_loop_reconnects_after_an_outage_and_flushes_the_outbox()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var alice = await TestProfiles.CreateAsync("alice", relay.Url);
        await using var bob = await TestProfiles.CreateAsync("bob", relay.Url);
        await alice.SendTextAsync("bob", "hello");
        await Conversation.ReceiveAsync(bob, 1);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var phase = 0;
        Guid queuedId = default;
        var disconnects = 0;
        await foreach (var clientEvent in alice.ReceiveAsync(stop.Token))
        {
            switch (phase, clientEvent)
            {
                case (0, ConnectionChanged { State: ConnectionState.Synced }):
                    phase = 1;
                    await relay.StopAsync();
                    break;
                case (1, ConnectionChanged { State: ConnectionState.Disconnected }):
                    disconnects++;
                    if (disconnects == 2)
                    {
                        var queued = await alice.SendTextAsync("bob", "sent while the relay is down");
                        Assert.Equal(DeliveryState.Queued, queued.State);
                        queuedId = queued.MessageId;
                        phase = 2;
                        await relay.StartAgainAsync();
                    }

                    break;
                case (2, DeliveryUpdate { State: DeliveryState.Sent } update) when update.MessageId == queuedId:
                    phase = 3;
                    break;
            }

            if (phase == 3)
            {
                break;
            }
        }

        Assert.Equal(3, phase);
        Assert.Equal(queuedId, Assert.Single(await Conversation.ReceiveAsync(bob, 1)).Id);
    }

    [Fact]
    public async Task A_stale_device_list_is_corrected_by_the_relays_409_and_the_message_is_sent_once()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var alice = await TestProfiles.CreateAsync("alice", relay.Url);
        await using var bob = await TestProfiles.CreateAsync("bob", relay.Url);
        await alice.SendTextAsync("bob", "first");
        await Conversation.ReceiveAsync(bob, 1);

        // Alice believes bob has a second device (a stale cache): a session for bob.2 that the relay does not know.
        await alice.Context.ProtocolAsync(async store =>
        {
            var record = await store.LoadSessionAsync(new ProtocolAddress("bob", 1), CancellationToken.None);
            await store.StoreSessionAsync(new ProtocolAddress("bob", 2), record!, CancellationToken.None);
            return true;
        }, CancellationToken.None);

        var sent = await alice.SendTextAsync("bob", "after the 409");
        Assert.Equal(DeliveryState.Sent, sent.State);
        Assert.Equal([1], sent.Devices.Select(d => d.DeviceId));
        Assert.Equal(sent.MessageId, Assert.Single(await Conversation.ReceiveAsync(bob, 1)).Id);
        var devices = await alice.Context.ProtocolAsync(store => ValueTask.FromResult(store.SessionDevices("bob")), CancellationToken.None);
        Assert.Equal([1], devices);
    }

    [Fact]
    public async Task An_envelope_delivered_twice_is_shown_once()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var alice = await TestProfiles.CreateAsync("alice", relay.Url);
        await using var bob = await TestProfiles.CreateAsync("bob", relay.Url);
        var sent = await alice.SendTextAsync("bob", "only once please");

        // Bob processes the envelope but the acknowledgement never reaches the relay.
        var batch = await bob.Context.Relay!.FetchAsync(CancellationToken.None);
        var envelope = Assert.Single(batch.Envelopes);
        var receiver = new Receiver(bob.Context);
        var first = await receiver.ProcessAsync(envelope, CancellationToken.None);
        Assert.Equal(sent.MessageId, Assert.Single(first.OfType<IncomingMessage>()).Id);
        Assert.Empty(await receiver.ProcessAsync(envelope, CancellationToken.None));

        // The relay delivers it again: dropped by id. The stored-but-unreported message is reported once.
        var shown = new List<IncomingMessage>();
        shown.AddRange((await bob.FetchPendingAsync(TimeSpan.Zero)).OfType<IncomingMessage>());
        shown.AddRange((await bob.FetchPendingAsync(TimeSpan.Zero)).OfType<IncomingMessage>());
        Assert.Equal(sent.MessageId, Assert.Single(shown).Id);
        Assert.Single(await bob.GetConversationAsync("alice"));
    }

    [Fact]
    public async Task A_resend_of_the_same_message_under_a_new_envelope_is_shown_once()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var alice = await TestProfiles.CreateAsync("alice", relay.Url);
        await using var bob = await TestProfiles.CreateAsync("bob", relay.Url);
        var sent = await alice.SendTextAsync("bob", "same id twice");
        var envelope = Assert.Single((await bob.Context.Relay!.FetchAsync(CancellationToken.None)).Envelopes);
        var receiver = new Receiver(bob.Context);
        Assert.Single((await receiver.ProcessAsync(envelope, CancellationToken.None)).OfType<IncomingMessage>());

        // A copy with a different envelope id (a relay that lost its idempotency record): the ratchet calls it a
        // duplicate and, failing that, the message id would.
        var copy = envelope with { Id = Guid.NewGuid() };
        Assert.Empty((await receiver.ProcessAsync(copy, CancellationToken.None)).OfType<IncomingMessage>());
        Assert.Single(await bob.GetConversationAsync("alice"));
        Assert.Equal(sent.MessageId, (await bob.GetConversationAsync("alice"))[0].Id);
    }

    [Fact]
    public async Task A_forged_envelope_is_reported_undecryptable_acknowledged_and_changes_no_state()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var alice = await TestProfiles.CreateAsync("alice", relay.Url);
        await using var bob = await TestProfiles.CreateAsync("bob", relay.Url);
        await alice.SendTextAsync("bob", "one");
        await Conversation.ReceiveAsync(bob, 1);
        await bob.SendTextAsync("alice", "two");
        await Conversation.ReceiveAsync(alice, 1);
        await alice.SendTextAsync("bob", "three");

        var envelope = Assert.Single((await bob.Context.Relay!.FetchAsync(CancellationToken.None)).Envelopes);
        var before = await StoreDump.SessionsAsync(bob.Context);
        var forged = envelope with { Id = Guid.NewGuid(), Content = Flip(envelope.Content, envelope.Content.Length - 3) };
        var events = await new Receiver(bob.Context).ProcessAsync(forged, CancellationToken.None);
        var undecryptable = Assert.IsType<UndecryptableMessage>(Assert.Single(events));
        Assert.Equal("alice", undecryptable.From);
        Assert.Equal(before, await StoreDump.SessionsAsync(bob.Context));

        // The genuine one still decrypts afterwards.
        Assert.Equal("three", Assert.Single(await Conversation.ReceiveAsync(bob, 1)).Text);
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] ^= 0x40;
        return copy;
    }
}
