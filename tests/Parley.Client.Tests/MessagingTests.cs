using System.Text;
using Parley.Client.Tests.Support;

namespace Parley.Client.Tests;

/// <summary>Send and receive over a real relay on 127.0.0.1, with real profiles in separate folders.</summary>
public sealed class MessagingTests
{
    [Fact]
    public async Task Two_profiles_exchange_messages_both_ways_in_order()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var alice = await TestProfiles.CreateAsync("alice", relay.Url);
        await using var bob = await TestProfiles.CreateAsync("bob", relay.Url);

        var toBob = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            toBob.Add((await alice.SendTextAsync("bob", $"a→b {i}")).MessageId);
        }

        var atBob = await Conversation.ReceiveAsync(bob, 20);
        Assert.Equal(toBob, atBob.Select(m => m.Id));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"a→b {i}"), atBob.Select(m => m.Text));
        Assert.All(atBob, m => Assert.Equal("alice", m.From));

        var toAlice = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            toAlice.Add((await bob.SendTextAsync("alice", $"b→a {i}")).MessageId);
        }

        var atAlice = await Conversation.ReceiveAsync(alice, 20);
        Assert.Equal(toAlice, atAlice.Select(m => m.Id));

        var history = await alice.GetConversationAsync("bob", 100);
        Assert.Equal(40, history.Count);
        Assert.Equal(toBob.Concat(toAlice), history.Select(m => m.Id));
        Assert.All(history.Take(20), m => Assert.Equal(DeliveryState.Sent, m.Delivery));
    }

    [Fact]
    public async Task Unicode_and_64_KiB_texts_arrive_intact()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var alice = await TestProfiles.CreateAsync("alice", relay.Url);
        await using var bob = await TestProfiles.CreateAsync("bob", relay.Url);

        var unicode = "héllo wörld — 你好，世界 — 🔐🦜 — ¿qué tal? — \u200d\u0301 — עִבְרִית";
        var ascii = new string('x', ParleyClient.MaxTextBytes);
        var multibyte = string.Concat(Enumerable.Repeat("€", ParleyClient.MaxTextBytes / 3));
        var empty = "";
        foreach (var text in new[] { unicode, ascii, multibyte, empty })
        {
            await alice.SendTextAsync("bob", text);
        }

        var received = await Conversation.ReceiveAsync(bob, 4);
        Assert.Equal([unicode, ascii, multibyte, empty], received.Select(m => m.Text));
        Assert.Equal(ParleyClient.MaxTextBytes, Encoding.UTF8.GetByteCount(received[1].Text));

        // And back, so both directions carry big Whisper messages too.
        await bob.SendTextAsync("alice", ascii);
        Assert.Equal(ascii, Assert.Single(await Conversation.ReceiveAsync(alice, 1)).Text);
    }

    [Fact]
    public async Task Texts_over_64_KiB_are_refused_before_anything_is_stored()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var alice = await TestProfiles.CreateAsync("alice", relay.Url);
        await using var bob = await TestProfiles.CreateAsync("bob", relay.Url);
        var error = await Assert.ThrowsAsync<ParleyException>(() => alice.SendTextAsync("bob", new string('y', ParleyClient.MaxTextBytes + 1)));
        Assert.Equal(ParleyErrorCode.MessageTooLarge, error.Code);
        Assert.Empty(await alice.GetConversationAsync("bob"));
    }

    [Fact]
    public async Task A_third_user_talks_with_both()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var alice = await TestProfiles.CreateAsync("alice", relay.Url);
        await using var bob = await TestProfiles.CreateAsync("bob", relay.Url);
        await using var carol = await TestProfiles.CreateAsync("carol", relay.Url);

        await carol.SendTextAsync("alice", "carol to alice");
        await carol.SendTextAsync("bob", "carol to bob");
        await alice.SendTextAsync("carol", "alice to carol");
        await bob.SendTextAsync("carol", "bob to carol");

        Assert.Equal("carol to alice", Assert.Single(await Conversation.ReceiveAsync(alice, 1)).Text);
        Assert.Equal("carol to bob", Assert.Single(await Conversation.ReceiveAsync(bob, 1)).Text);
        var atCarol = await Conversation.ReceiveAsync(carol, 2);
        Assert.Equal(["alice", "bob"], atCarol.Select(m => m.From).Order());
        Assert.Equal(["alice", "bob"], (await carol.Contacts.ListAsync()).Select(c => c.Username));
    }

    [Fact]
    public async Task Sending_to_an_unknown_user_fails_with_no_such_user_and_nothing_stays_queued()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var alice = await TestProfiles.CreateAsync("alice", relay.Url);
        var error = await Assert.ThrowsAsync<ParleyException>(() => alice.SendTextAsync("nobody_here", "hello?"));
        Assert.Equal(ParleyErrorCode.NoSuchUser, error.Code);
        Assert.False(error.IsTransient);
        Assert.DoesNotContain("hello?", error.Message, StringComparison.Ordinal);
        Assert.Equal(new OutboxFlushResult(0, 0, 0), await alice.FlushOutboxAsync());
        Assert.Equal(DeliveryState.Failed, Assert.Single(await alice.GetConversationAsync("nobody_here")).Delivery);
    }

    [Fact]
    public async Task Invalid_usernames_are_refused_locally()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var alice = await TestProfiles.CreateAsync("alice", relay.Url);
        foreach (var bad in new[] { "", "ab", "Ünïcode", "has.dot", "9starts_with_digit", new string('a', 33) })
        {
            var error = await Assert.ThrowsAsync<ParleyException>(() => alice.SendTextAsync(bad, "x"));
            Assert.Equal(ParleyErrorCode.InvalidUsername, error.Code);
        }

        // Case and surrounding spaces normalise, as on the relay.
        await using var bob = await TestProfiles.CreateAsync("bob", relay.Url);
        Assert.Equal(DeliveryState.Sent, (await alice.SendTextAsync("  BOB ", "normalised")).State);
    }

    [Fact]
    public async Task Live_receive_delivers_messages_and_reports_connection_states()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var alice = await TestProfiles.CreateAsync("alice", relay.Url);
        await using var bob = await TestProfiles.CreateAsync("bob", relay.Url);
        await alice.SendTextAsync("bob", "waiting before connect");

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new List<ClientEvent>();
        var texts = new List<string>();
        await foreach (var clientEvent in bob.ReceiveAsync(stop.Token))
        {
            seen.Add(clientEvent);
            if (clientEvent is ConnectionChanged { State: ConnectionState.Synced })
            {
                await alice.SendTextAsync("bob", "pushed live");
            }

            if (clientEvent is IncomingMessage message)
            {
                texts.Add(message.Text);
                if (texts.Count == 2)
                {
                    break;
                }
            }
        }

        Assert.Equal(["waiting before connect", "pushed live"], texts);
        var states = seen.OfType<ConnectionChanged>().Select(c => c.State).ToList();
        Assert.Equal([ConnectionState.Connecting, ConnectionState.Connected, ConnectionState.Synced], states.Take(3));

        // Everything was acknowledged: nothing comes again.
        Assert.Empty((await bob.FetchPendingAsync(TimeSpan.Zero)).OfType<IncomingMessage>());
    }

    [Fact]
    public async Task Only_one_receive_runs_at_a_time()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var bob = await TestProfiles.CreateAsync("bob", relay.Url);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var first = bob.ReceiveAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        Assert.True(await first.MoveNextAsync());
        var error = await Assert.ThrowsAsync<ParleyException>(() => bob.FetchPendingAsync(TimeSpan.Zero));
        Assert.Equal(ParleyErrorCode.AlreadyReceiving, error.Code);
    }
}
