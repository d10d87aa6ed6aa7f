using Parley.Interop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Interop.Tests.Scenarios;

/// <summary>
/// 1:1 sessions between two drivers, for every pairing in <see cref="Pairings"/>: delivery order, gaps, long
/// conversations, message sizes, bundles without one-time prekeys and simultaneous initiation.
/// </summary>
public sealed class SessionScenarioTests(ITestOutputHelper output) : IClassFixture<InteropEnvironment>
{
    [Theory]
    [MemberData(nameof(Pairings.Selected), MemberType = typeof(Pairings))]
    public async Task First_flight_of_five_prekey_messages_decrypts_out_of_order(string pairing)
    {
        await using var chat = await Conversation.StartAsync(pairing, output);
        await chat.EstablishAsync();

        var flight = await chat.SendManyAsync(chat.Initiator, 5);
        Assert.All(flight, m => Assert.Equal(MessageType.PreKey, m.Type));
        // Not the sending order, and never starting with the first message.
        var order = new[] { 3, 1, 4, 0, 2 };
        foreach (var index in order)
        {
            await chat.DeliverAsync(flight[index]);
        }

        var reply = await chat.SendAsync(chat.Responder);
        Assert.Equal(MessageType.Whisper, reply.Type);
        await chat.DeliverAsync(reply);
        var next = await chat.SendAsync(chat.Initiator);
        Assert.Equal(MessageType.Whisper, next.Type);
        await chat.DeliverAsync(next);
    }

    [Theory]
    [MemberData(nameof(Pairings.Selected), MemberType = typeof(Pairings))]
    public async Task Hundreds_of_messages_shuffled_within_windows_across_ratchet_steps_all_decrypt(string pairing)
    {
        const int Blocks = 10;
        const int BlockSize = 40;
        const int Window = 10;
        const int HeldBack = 4;
        await using var chat = await Conversation.StartAsync(pairing, output);
        await chat.EstablishAndGreetAsync();

        // Each block comes from the other side than the last, so every block after the first two is sent on a
        // new ratchet chain; a few messages of each block arrive only with the sender's next block.
        var late = new Dictionary<Peer, List<Envelope>> { [chat.Initiator] = [], [chat.Responder] = [] };
        for (var block = 0; block < Blocks; block++)
        {
            var sender = block % 2 == 0 ? chat.Initiator : chat.Responder;
            var sent = await chat.SendManyAsync(sender, BlockSize, _ => chat.RandomPayload(300));
            var held = chat.Shuffled(sent).Take(HeldBack).ToHashSet();
            var arriving = sent.Where(m => !held.Contains(m)).ToList();
            foreach (var straggler in late[sender])
            {
                arriving.Insert(chat.Random.Next(arriving.Count + 1), straggler);
            }

            late[sender] = [.. held];
            for (var start = 0; start < arriving.Count; start += Window)
            {
                await chat.DeliverAllAsync(chat.Shuffled(arriving.Skip(start).Take(Window)));
            }
        }

        await chat.DeliverAllAsync(chat.Shuffled(late.Values.SelectMany(m => m)));
        Assert.Equal(chat.Tally.Sent, chat.Tally.Decrypted);
        chat.Note($"{Blocks} blocks of {BlockSize}, shuffled in windows of {Window}, {HeldBack} per block delivered one chain late");
    }

    [Theory]
    [MemberData(nameof(Pairings.Selected), MemberType = typeof(Pairings))]
    public async Task A_gap_of_1500_skipped_messages_then_the_stragglers_all_decrypt(string pairing)
    {
        const int Gap = 1500;
        await using var chat = await Conversation.StartAsync(pairing, output);
        await chat.EstablishAndGreetAsync();

        foreach (var sender in new[] { chat.Initiator, chat.Responder })
        {
            var burst = await chat.SendManyAsync(sender, Gap + 10);
            await chat.DeliverAsync(burst[0]);
            await chat.DeliverAsync(burst[Gap + 1]); // skips burst[1..Gap]: exactly 1,500 messages
            await chat.DeliverAllAsync(chat.Shuffled(burst.Skip(1).Take(Gap)));
            await chat.RejectAsync(burst[1 + chat.Random.Next(Gap)], "a straggler delivered twice");
            await chat.DeliverAllAsync(burst.Skip(Gap + 2));
        }
    }

    [Theory]
    [MemberData(nameof(Pairings.Selected), MemberType = typeof(Pairings))]
    public async Task One_hundred_ping_pong_turns_with_binary_payloads_decrypt(string pairing)
    {
        await using var chat = await Conversation.StartAsync(pairing, output);
        await chat.EstablishAsync();
        for (var turn = 0; turn < 100; turn++)
        {
            var ping = await chat.SendAsync(chat.Initiator, chat.RandomPayload(2048));
            Assert.Equal(turn == 0 ? MessageType.PreKey : MessageType.Whisper, ping.Type);
            await chat.DeliverAsync(ping);
            var pong = await chat.SendAsync(chat.Responder, chat.RandomPayload(2048));
            Assert.Equal(MessageType.Whisper, pong.Type);
            await chat.DeliverAsync(pong);
        }
    }

    [Theory]
    [MemberData(nameof(Pairings.Selected), MemberType = typeof(Pairings))]
    public async Task Plaintexts_of_0_1_15_16_17_and_65536_bytes_round_trip(string pairing)
    {
        int[] sizes = [0, 1, 15, 16, 17, 65_536];
        await using var chat = await Conversation.StartAsync(pairing, output);
        await chat.EstablishAsync();

        // First flight (PreKey messages), the reply (Whisper), then the initiator again (Whisper).
        foreach (var (sender, expectedType) in new[] { (chat.Initiator, MessageType.PreKey), (chat.Responder, MessageType.Whisper), (chat.Initiator, MessageType.Whisper) })
        {
            foreach (var size in sizes)
            {
                var plaintext = new byte[size];
                chat.Random.NextBytes(plaintext);
                var message = await chat.SendAsync(sender, plaintext);
                Assert.Equal(expectedType, message.Type);
                await chat.DeliverAsync(message);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Pairings.Selected), MemberType = typeof(Pairings))]
    public async Task Bundles_without_a_one_time_prekey_start_working_sessions(string pairing)
    {
        await using var chat = await Conversation.StartAsync(pairing, output);
        var bundle = await chat.Responder.BundleAsync(oneTimePreKey: false);
        Assert.Null(bundle["preKeyId"]);
        Assert.Null(bundle["preKey_b64"]);
        await chat.Initiator.ProcessBundleAsync(chat.Responder, bundle);

        var flight = await chat.SendManyAsync(chat.Initiator, 3);
        Assert.All(flight, m => Assert.Equal(MessageType.PreKey, m.Type));
        await chat.DeliverAllAsync(flight.Reverse());
        for (var turn = 0; turn < 10; turn++)
        {
            await chat.DeliverAsync(await chat.SendAsync(chat.Responder));
            await chat.DeliverAsync(await chat.SendAsync(chat.Initiator));
        }
    }

    [Theory]
    [MemberData(nameof(Pairings.Selected), MemberType = typeof(Pairings))]
    public async Task Simultaneous_initiation_converges_to_a_working_conversation(string pairing)
    {
        await using var chat = await Conversation.StartAsync(pairing, output);
        var (alice, bob) = (chat.Initiator, chat.Responder);
        var aliceBundle = await alice.BundleAsync();
        var bobBundle = await bob.BundleAsync();
        await alice.ProcessBundleAsync(bob, bobBundle);
        await bob.ProcessBundleAsync(alice, aliceBundle);

        // Both send first, before either has heard from the other.
        var fromAlice = await chat.SendAsync(alice);
        var fromBob = await chat.SendAsync(bob);
        Assert.Equal(MessageType.PreKey, fromAlice.Type);
        Assert.Equal(MessageType.PreKey, fromBob.Type);
        await chat.DeliverAsync(fromAlice);
        await chat.DeliverAsync(fromBob);

        // Three rounds where the messages cross in flight, then an ordinary alternating conversation.
        for (var round = 0; round < 3; round++)
        {
            var a = await chat.SendManyAsync(alice, 2);
            var b = await chat.SendManyAsync(bob, 2);
            await chat.DeliverAllAsync(a);
            await chat.DeliverAllAsync(b);
        }

        for (var turn = 0; turn < 20; turn++)
        {
            var a = await chat.SendAsync(alice);
            await chat.DeliverAsync(a);
            var b = await chat.SendAsync(bob);
            await chat.DeliverAsync(b);
            if (turn >= 10)
            {
                // Converged: nobody is still sending PreKey messages.
                Assert.Equal(MessageType.Whisper, a.Type);
                Assert.Equal(MessageType.Whisper, b.Type);
            }
        }

        // Bursts in both directions on the settled session.
        await chat.DeliverAllAsync(chat.Shuffled(await chat.SendManyAsync(alice, 5)));
        await chat.DeliverAllAsync(chat.Shuffled(await chat.SendManyAsync(bob, 5)));
        Assert.Equal(chat.Tally.Sent, chat.Tally.Decrypted);
    }

    [Theory]
    [MemberData(nameof(Pairings.Selected), MemberType = typeof(Pairings))]
    public async Task Peer_device_ids_resolve_from_the_request_then_the_bundle_then_the_last_one_used(string pairing)
    {
        await using var chat = await Conversation.StartAsync(pairing, output);
        var bundle = await chat.Responder.BundleAsync();
        Assert.Equal(chat.Responder.DeviceId, bundle.Integer("deviceId"));

        // process_bundle without peerDeviceId: the bundle's deviceId (2) is used and reported.
        var processed = await chat.Initiator.Driver.RequestOkAsync(new() { ["cmd"] = "process_bundle", ["peer"] = chat.Responder.Name, ["bundle"] = bundle });
        Assert.Equal(chat.Responder.DeviceId, processed.Integer("peerDeviceId"));

        // encrypt without peerDeviceId: the last device used for that name.
        var sent = await chat.Initiator.Driver.RequestOkAsync(new() { ["cmd"] = "encrypt", ["peer"] = chat.Responder.Name, ["plaintext_b64"] = "aGk=" });
        chat.Tally.Sent++;
        var envelope = new Envelope(chat.Initiator, chat.Responder, sent.Integer("type"), sent.Bytes("body_b64"), "hi"u8.ToArray(), 0);
        await chat.DeliverAsync(envelope);

        // The responder's reply without peerDeviceId goes to device 1 (the default), which is the initiator's.
        var reply = await chat.Responder.Driver.RequestOkAsync(new() { ["cmd"] = "encrypt", ["peer"] = chat.Initiator.Name, ["plaintext_b64"] = "aG8=" });
        chat.Tally.Sent++;
        await chat.DeliverAsync(new Envelope(chat.Responder, chat.Initiator, reply.Integer("type"), reply.Bytes("body_b64"), "ho"u8.ToArray(), 0));

        // An explicit, different device id has no session.
        var elsewhere = await chat.Initiator.Driver.RequestAsync(new()
        {
            ["cmd"] = "encrypt", ["peer"] = chat.Responder.Name, ["peerDeviceId"] = 9, ["plaintext_b64"] = "aGk=",
        });
        Assert.False(elsewhere.IsOk(), "encrypt to a device without a session succeeded");
    }
}
