using Parley.Protocol.Messages;
using Parley.Protocol.Tests.Support;
using Xunit.Abstractions;

namespace Parley.Protocol.Tests.Sessions;

/// <summary>Out-of-order delivery and the ratchet limits (TESTPLAN C3, PROTOCOL.md §6.3).</summary>
public sealed class RatchetLimitTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Messages_delivered_in_a_random_permutation_all_decrypt()
    {
        var (alice, bob) = await Conversation.EstablishedAsync();
        var messages = await SendAsync(alice, bob, 2_001);
        var order = Enumerable.Range(0, messages.Count).ToArray();
        new Random(7).Shuffle(order);
        foreach (var index in order)
        {
            Assert.Equal($"m{index}", await bob.DecryptAsync(alice, messages[index]));
        }

        var chain = (await bob.SessionWithAsync(alice)).CurrentState!.FindReceiverChain(((SignalMessage)messages[0]).SenderRatchetKey)!;
        Assert.Empty(chain.MessageKeys);
    }

    [Fact]
    public async Task A_gap_of_1500_messages_decrypts_late_messages_in_any_order()
    {
        var (alice, bob) = await Conversation.EstablishedAsync();
        var messages = await SendAsync(alice, bob, 1_501);
        Assert.Equal("m1500", await bob.DecryptAsync(alice, messages[1_500]));
        var chain = (await bob.SessionWithAsync(alice)).CurrentState!.FindReceiverChain(((SignalMessage)messages[0]).SenderRatchetKey)!;
        Assert.Equal(1_500, chain.MessageKeys.Count);

        var order = Enumerable.Range(0, 1_500).ToArray();
        new Random(11).Shuffle(order);
        foreach (var index in order)
        {
            Assert.Equal($"m{index}", await bob.DecryptAsync(alice, messages[index]));
        }
    }

    [Fact]
    public async Task A_jump_of_25000_is_accepted_and_25001_is_rejected()
    {
        var (alice, bob) = await Conversation.EstablishedAsync();
        var started = System.Diagnostics.Stopwatch.StartNew();
        var messages = await SendAsync(alice, bob, ProtocolLimits.MaxForwardJumps + 2);
        output.WriteLine($"encrypted {messages.Count} messages in {started.ElapsedMilliseconds} ms");

        var before = bob.Snapshot();
        var error = await Assert.ThrowsAsync<InvalidMessageException>(() => bob.DecryptAsync(alice, messages[^1]));
        Assert.Contains("too far into the future", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, bob.Snapshot());

        started.Restart();
        Assert.Equal($"m{ProtocolLimits.MaxForwardJumps}", await bob.DecryptAsync(alice, messages[ProtocolLimits.MaxForwardJumps]));
        output.WriteLine($"decrypted across a 25,000 jump in {started.ElapsedMilliseconds} ms");
        var chain = (await bob.SessionWithAsync(alice)).CurrentState!.FindReceiverChain(((SignalMessage)messages[0]).SenderRatchetKey)!;
        Assert.Equal(ProtocolLimits.MaxMessageKeys, chain.MessageKeys.Count);

        // The jump limit is relative to the chain: the last message is now one step ahead.
        Assert.Equal($"m{ProtocolLimits.MaxForwardJumps + 1}", await bob.DecryptAsync(alice, messages[^1]));
    }

    [Fact]
    public async Task More_than_2000_skipped_keys_drop_the_oldest()
    {
        var (alice, bob) = await Conversation.EstablishedAsync();
        var messages = await SendAsync(alice, bob, 2_501);
        Assert.Equal("m2500", await bob.DecryptAsync(alice, messages[2_500]));
        var chain = (await bob.SessionWithAsync(alice)).CurrentState!.FindReceiverChain(((SignalMessage)messages[0]).SenderRatchetKey)!;
        Assert.Equal(ProtocolLimits.MaxMessageKeys, chain.MessageKeys.Count);
        Assert.Equal(500u, chain.MessageKeys.Min(k => k.Index));
        Assert.Equal(2_499u, chain.MessageKeys.Max(k => k.Index));

        await Assert.ThrowsAsync<DuplicateMessageException>(() => bob.DecryptAsync(alice, messages[0]));
        await Assert.ThrowsAsync<DuplicateMessageException>(() => bob.DecryptAsync(alice, messages[499]));
        Assert.Equal("m500", await bob.DecryptAsync(alice, messages[500]));
        Assert.Equal("m2499", await bob.DecryptAsync(alice, messages[2_499]));
    }

    [Fact]
    public async Task Skipped_keys_accumulate_across_gaps_up_to_the_limit_per_chain()
    {
        var (alice, bob) = await Conversation.EstablishedAsync();
        var messages = await SendAsync(alice, bob, 3_003);
        await bob.DecryptAsync(alice, messages[1_500]);
        await bob.DecryptAsync(alice, messages[3_002]);
        var chain = (await bob.SessionWithAsync(alice)).CurrentState!.FindReceiverChain(((SignalMessage)messages[0]).SenderRatchetKey)!;
        Assert.Equal(ProtocolLimits.MaxMessageKeys, chain.MessageKeys.Count);
        // 1,500 + 1,501 skipped keys: the 1,001 oldest (0–1000) were dropped.
        Assert.Equal(1_001u, chain.MessageKeys.Min(k => k.Index));
        await Assert.ThrowsAsync<DuplicateMessageException>(() => bob.DecryptAsync(alice, messages[1_000]));
        Assert.Equal("m1001", await bob.DecryptAsync(alice, messages[1_001]));
    }

    [Fact]
    public async Task Six_ratchet_turns_keep_five_receiver_chains()
    {
        var (alice, bob) = await Conversation.EstablishedAsync();
        var late = new List<CiphertextMessage>();
        for (var turn = 0; turn < 6; turn++)
        {
            late.Add(await alice.EncryptAsync(bob, $"late {turn}"));
            await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, $"turn {turn}"));
            await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, $"reply {turn}"));
        }

        var state = (await bob.SessionWithAsync(alice)).CurrentState!;
        Assert.Equal(ProtocolLimits.MaxReceiverChains, state.ReceiverChains.Count);

        // The oldest chain is gone: its late message no longer decrypts; the newer ones still do.
        await Assert.ThrowsAsync<InvalidMessageException>(() => bob.DecryptAsync(alice, late[0]));
        for (var turn = 2; turn < 6; turn++)
        {
            Assert.Equal($"late {turn}", await bob.DecryptAsync(alice, late[turn]));
        }
    }

    [Fact]
    public async Task Messages_from_before_a_DH_ratchet_step_decrypt_after_it()
    {
        var (alice, bob) = await Conversation.EstablishedAsync();
        var early1 = await alice.EncryptAsync(bob, "early 1");
        var early2 = await alice.EncryptAsync(bob, "early 2");
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "seen"));
        await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, "step"));
        var after = await alice.EncryptAsync(bob, "after step");

        Assert.Equal("after step", await bob.DecryptAsync(alice, after));
        Assert.Equal("early 2", await bob.DecryptAsync(alice, early2));
        Assert.Equal("early 1", await bob.DecryptAsync(alice, early1));
    }

    private static async Task<List<CiphertextMessage>> SendAsync(TestParty from, TestParty to, int count)
    {
        var messages = new List<CiphertextMessage>(count);
        for (var i = 0; i < count; i++)
        {
            messages.Add(await from.EncryptAsync(to, $"m{i}"));
        }

        return messages;
    }
}
