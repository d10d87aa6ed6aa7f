using Parley.Protocol.Groups;
using Parley.Protocol.Messages;
using Parley.Protocol.Records;
using Parley.Protocol.Tests.Support;

namespace Parley.Protocol.Tests.Groups;

/// <summary>Sender keys (PROTOCOL.md §8).</summary>
public sealed class SenderKeyTests
{
    private static readonly Guid Group = Guid.Parse("d1d1d1d1-2222-4333-8444-555555555555");

    [Fact]
    public async Task Distribution_message_has_version_0x33_and_a_31_bit_chain_id()
    {
        var alice = new TestParty();
        var skdm = await GroupSessionBuilder.CreateDistributionMessageAsync(alice.Address, Group, alice.Store);
        var bytes = skdm.Serialize();
        Assert.Equal(0x33, bytes[0]);
        Assert.True(skdm.ChainId < 0x8000_0000u);
        Assert.Equal(0u, skdm.Iteration);
        Assert.Equal(Group, skdm.DistributionId);
        var parsed = SenderKeyDistributionMessage.Deserialize(bytes);
        Assert.Equal(skdm.ChainId, parsed.ChainId);
        Assert.Equal(skdm.SigningKey, parsed.SigningKey);

        // A second call returns the same chain.
        var again = await GroupSessionBuilder.CreateDistributionMessageAsync(alice.Address, Group, alice.Store);
        Assert.Equal(skdm.ChainId, again.ChainId);
    }

    [Fact]
    public async Task Group_messages_decrypt_for_every_member_and_out_of_order()
    {
        var alice = new TestParty();
        var bob = new TestParty();
        var carol = new TestParty();
        var skdm = await GroupSessionBuilder.CreateDistributionMessageAsync(alice.Address, Group, alice.Store);
        await GroupSessionBuilder.ProcessDistributionMessageAsync(alice.Address, SenderKeyDistributionMessage.Deserialize(skdm.Serialize()), bob.Store);
        await GroupSessionBuilder.ProcessDistributionMessageAsync(alice.Address, SenderKeyDistributionMessage.Deserialize(skdm.Serialize()), carol.Store);

        var messages = new List<SenderKeyMessage>();
        for (var i = 0; i < 20; i++)
        {
            messages.Add(await GroupCipher.EncryptAsync(alice.Address, Group, System.Text.Encoding.UTF8.GetBytes($"g{i}"), alice.Store));
        }

        Assert.Equal(0x33, messages[0].Serialize()[0]);
        foreach (var i in Enumerable.Range(0, 20))
        {
            Assert.Equal($"g{i}", await bob.DecryptAsync(alice, messages[i]));
        }

        foreach (var i in Enumerable.Range(0, 20).Reverse())
        {
            Assert.Equal($"g{i}", await carol.DecryptAsync(alice, messages[i]));
        }

        await Assert.ThrowsAsync<DuplicateMessageException>(() => bob.DecryptAsync(alice, messages[3]));
    }

    [Fact]
    public async Task Late_joiner_starts_at_the_distributed_iteration()
    {
        var alice = new TestParty();
        var bob = new TestParty();
        await GroupSessionBuilder.CreateDistributionMessageAsync(alice.Address, Group, alice.Store);
        var early = await GroupCipher.EncryptAsync(alice.Address, Group, "early"u8.ToArray(), alice.Store);
        var skdm = await GroupSessionBuilder.CreateDistributionMessageAsync(alice.Address, Group, alice.Store);
        Assert.Equal(1u, skdm.Iteration);
        await GroupSessionBuilder.ProcessDistributionMessageAsync(alice.Address, skdm, bob.Store);
        await Assert.ThrowsAsync<DuplicateMessageException>(() => bob.DecryptAsync(alice, early));
        Assert.Equal("late", await bob.DecryptAsync(alice, await GroupCipher.EncryptAsync(alice.Address, Group, "late"u8.ToArray(), alice.Store)));
    }

    [Fact]
    public async Task Sender_key_limits_match_the_one_to_one_ratchet()
    {
        var alice = new TestParty();
        var bob = new TestParty();
        var skdm = await GroupSessionBuilder.CreateDistributionMessageAsync(alice.Address, Group, alice.Store);
        await GroupSessionBuilder.ProcessDistributionMessageAsync(alice.Address, skdm, bob.Store);
        var start = (await alice.Store.LoadSenderKeyAsync(alice.Address, Group, default))!.Serialize();

        // Messages at chosen iterations, made by winding a copy of Alice's chain forward (signing 25,000 messages
        // one by one would only cost time).
        async Task<SenderKeyMessage> AtAsync(uint iteration)
        {
            var record = SenderKeyRecord.Deserialize(start);
            var state = record.States[0];
            while (state.ChainKey.Iteration < iteration)
            {
                state.ChainKey = state.ChainKey.Next();
            }

            await alice.Store.StoreSenderKeyAsync(alice.Address, Group, record, default);
            return await GroupCipher.EncryptAsync(alice.Address, Group, System.Text.Encoding.UTF8.GetBytes($"g{iteration}"), alice.Store);
        }

        const uint Limit = ProtocolLimits.MaxForwardJumps;
        var beyond = await AtAsync(Limit + 1);
        var before = bob.Snapshot();
        Assert.Contains("too far", (await Assert.ThrowsAsync<InvalidMessageException>(() => bob.DecryptAsync(alice, beyond))).Message, StringComparison.Ordinal);
        Assert.Equal(before, bob.Snapshot());

        Assert.Equal($"g{Limit}", await bob.DecryptAsync(alice, await AtAsync(Limit)));
        var state = (await bob.Store.LoadSenderKeyAsync(alice.Address, Group, default))!.States[0];
        Assert.Equal(ProtocolLimits.MaxMessageKeys, state.MessageKeys.Count);
        const uint OldestKept = Limit - ProtocolLimits.MaxMessageKeys;
        await Assert.ThrowsAsync<DuplicateMessageException>(async () => await bob.DecryptAsync(alice, await AtAsync(OldestKept - 1)));
        Assert.Equal($"g{OldestKept}", await bob.DecryptAsync(alice, await AtAsync(OldestKept)));
        Assert.Equal($"g{Limit + 1}", await bob.DecryptAsync(alice, beyond));
    }

    [Fact]
    public async Task Repeated_distribution_message_keeps_progress()
    {
        var alice = new TestParty();
        var bob = new TestParty();
        var skdm = await GroupSessionBuilder.CreateDistributionMessageAsync(alice.Address, Group, alice.Store);
        await GroupSessionBuilder.ProcessDistributionMessageAsync(alice.Address, skdm, bob.Store);
        var first = await GroupCipher.EncryptAsync(alice.Address, Group, "first"u8.ToArray(), alice.Store);
        Assert.Equal("first", await bob.DecryptAsync(alice, first));

        // The same SKDM again (e.g. re-sent): the state and its progress stay; a replay is still a duplicate.
        await GroupSessionBuilder.ProcessDistributionMessageAsync(alice.Address, skdm, bob.Store);
        Assert.Equal(1, (await bob.Store.LoadSenderKeyAsync(alice.Address, Group, default))!.StateCount);
        await Assert.ThrowsAsync<DuplicateMessageException>(() => bob.DecryptAsync(alice, first));
    }

    [Fact]
    public async Task Same_chain_id_with_another_signing_key_replaces_the_state()
    {
        var alice = new TestParty();
        var mallory = new TestParty();
        var bob = new TestParty();
        var skdm = await GroupSessionBuilder.CreateDistributionMessageAsync(alice.Address, Group, alice.Store);
        await GroupSessionBuilder.ProcessDistributionMessageAsync(alice.Address, skdm, bob.Store);

        // A distribution message with the same chain id but a different signing key.
        var other = await GroupSessionBuilder.CreateDistributionMessageAsync(mallory.Address, Group, mallory.Store);
        var forged = Rewrite(other.Serialize(), chainId: skdm.ChainId);
        await GroupSessionBuilder.ProcessDistributionMessageAsync(alice.Address, SenderKeyDistributionMessage.Deserialize(forged), bob.Store);
        var record = (await bob.Store.LoadSenderKeyAsync(alice.Address, Group, default))!;
        Assert.Equal(1, record.StateCount);
        Assert.Equal(other.SigningKey, record.States[0].SigningKey);
        var fromAlice = await GroupCipher.EncryptAsync(alice.Address, Group, "x"u8.ToArray(), alice.Store);
        await Assert.ThrowsAsync<InvalidSignatureException>(() => bob.DecryptAsync(alice, fromAlice));
    }

    [Fact]
    public async Task A_record_keeps_five_states_newest_first()
    {
        var bob = new TestParty();
        var alice = new TestParty();
        var chainIds = new List<uint>();
        for (var i = 0; i < 7; i++)
        {
            var sender = new TestParty();
            var skdm = await GroupSessionBuilder.CreateDistributionMessageAsync(sender.Address, Group, sender.Store);
            chainIds.Add(skdm.ChainId);
            await GroupSessionBuilder.ProcessDistributionMessageAsync(alice.Address, skdm, bob.Store);
        }

        var record = (await bob.Store.LoadSenderKeyAsync(alice.Address, Group, default))!;
        Assert.Equal(ProtocolLimits.MaxSenderKeyStates, record.StateCount);
        Assert.Equal(chainIds.AsEnumerable().Reverse().Take(5), record.States.Select(s => s.ChainId));
    }

    [Fact]
    public async Task Unknown_group_or_chain_fails_with_NoSenderKeyState()
    {
        var alice = new TestParty();
        var bob = new TestParty();
        await Assert.ThrowsAsync<NoSenderKeyStateException>(() => GroupCipher.EncryptAsync(alice.Address, Group, "x"u8.ToArray(), alice.Store).AsTask());
        await GroupSessionBuilder.CreateDistributionMessageAsync(alice.Address, Group, alice.Store);
        var message = await GroupCipher.EncryptAsync(alice.Address, Group, "x"u8.ToArray(), alice.Store);
        await Assert.ThrowsAsync<NoSenderKeyStateException>(() => bob.DecryptAsync(alice, message));

        // Bob's own copy of Alice's chain cannot send.
        await GroupSessionBuilder.ProcessDistributionMessageAsync(alice.Address, await GroupSessionBuilder.CreateDistributionMessageAsync(alice.Address, Group, alice.Store), bob.Store);
        await Assert.ThrowsAsync<NoSenderKeyStateException>(() => GroupCipher.EncryptAsync(alice.Address, Group, "x"u8.ToArray(), bob.Store).AsTask());
    }

    /// <summary>Re-encodes a distribution message with another chain id.</summary>
    private static byte[] Rewrite(byte[] skdm, uint chainId)
    {
        var fields = ProtoEdit.Fields(skdm.AsSpan(1));
        var writer = new List<byte> { skdm[0] };
        foreach (var (field, raw) in fields)
        {
            if (field == 2)
            {
                writer.Add(0x10);
                var value = chainId;
                while (value >= 0x80)
                {
                    writer.Add(unchecked((byte)(value | 0x80)));
                    value >>= 7;
                }

                writer.Add((byte)value);
            }
            else
            {
                writer.AddRange(raw);
            }
        }

        return [.. writer];
    }
}
