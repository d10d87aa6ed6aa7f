using Parley.Protocol.Messages;
using Parley.Protocol.Ratchet;
using Parley.Protocol.Records;
using Parley.Protocol.Tests.Support;

namespace Parley.Protocol.Tests.Records;

public sealed class SessionRecordTests
{
    [Fact]
    public void An_empty_record_serializes_to_nothing_and_back()
    {
        var record = new SessionRecord();
        Assert.Empty(record.Serialize());
        var parsed = SessionRecord.Deserialize([]);
        Assert.False(parsed.HasCurrentState);
        Assert.Equal(0, parsed.ArchivedStateCount);
        Assert.Null(parsed.SessionVersion);
    }

    [Fact]
    public async Task Records_with_skipped_keys_and_archived_states_round_trip_byte_for_byte()
    {
        var (alice, bob) = await Conversation.EstablishedAsync();
        var messages = new List<CiphertextMessage>();
        for (var i = 0; i < 30; i++)
        {
            messages.Add(await alice.EncryptAsync(bob, $"m{i}"));
        }

        await bob.DecryptAsync(alice, messages[^1]);
        await bob.StartSessionWithAsync(alice); // archive
        var record = await bob.SessionWithAsync(alice);
        Assert.Equal(1, record.ArchivedStateCount);
        var bytes = record.Serialize();
        var parsed = SessionRecord.Deserialize(bytes);
        Assert.Equal(bytes, parsed.Serialize());
        Assert.Equal(29, parsed.PreviousStates[0].ReceiverChains.Sum(c => c.MessageKeys.Count));
        Assert.True(parsed.IsUnacknowledged);
        Assert.Equal(4, parsed.SessionVersion);
        Assert.Equal(bob.RegistrationId, parsed.LocalRegistrationId);
        Assert.Equal(alice.RegistrationId, parsed.RemoteRegistrationId);
        Assert.Equal(alice.Identity.IdentityKey, parsed.RemoteIdentityKey);
    }

    [Fact]
    public async Task Skipped_keys_stored_in_the_older_expanded_form_still_decrypt()
    {
        var (alice, bob) = await Conversation.EstablishedAsync();
        var late = await alice.EncryptAsync(bob, "late");
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "ahead"));

        var record = await bob.SessionWithAsync(alice);
        var chain = record.CurrentState!.ReceiverChains.Single(c => c.MessageKeys.Count == 1);
        var seedKey = chain.MessageKeys[0];
        var keys = seedKey.ToMessageKeys();
        chain.MessageKeys[0] = StoredMessageKey.FromParts(seedKey.Index, keys.CipherKey, keys.MacKey, keys.Iv);
        var legacyBytes = record.Serialize();
        var reloaded = SessionRecord.Deserialize(legacyBytes);
        Assert.Null(reloaded.CurrentState!.ReceiverChains.Single(c => c.MessageKeys.Count == 1).MessageKeys[0].Seed);
        await bob.Store.StoreSessionAsync(alice.Address, reloaded, default);

        Assert.Equal("late", await bob.DecryptAsync(alice, late));
    }

    [Fact]
    public async Task A_post_quantum_ratchet_state_still_negotiating_is_treated_as_negotiated_down()
    {
        var (alice, bob) = await Conversation.EstablishedAsync();
        // PqRatchetState { version_negotiation { auth_key: 32 bytes, alice: true, min_version: 0 }, v1 { … } }
        var negotiating = PqState(withChain: false, minVersion: 0);
        var withField = WithPqState(await bob.SessionWithAsync(alice), negotiating);
        var loaded = SessionRecord.Deserialize(withField);
        Assert.Null(loaded.CurrentState!.RequiredPqRatchetState);
        Assert.True(loaded.HasUsableSenderChain(DateTimeOffset.UtcNow));
        Assert.True(loaded.Serialize().Length < withField.Length, "the negotiable SPQR state is dropped (V0)");

        await bob.Store.StoreSessionAsync(alice.Address, loaded, default);
        Assert.Equal("still works", await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, "still works")));
        Assert.Equal("both ways", await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "both ways")));
    }

    [Theory]
    [InlineData(true, 0u)]
    [InlineData(false, 1u)]
    public async Task A_post_quantum_ratchet_state_that_requires_SPQR_is_kept_but_unusable(bool withChain, uint minVersion)
    {
        var (alice, bob) = await Conversation.EstablishedAsync();
        var pq = PqState(withChain, minVersion);
        var withField = WithPqState(await bob.SessionWithAsync(alice), pq);
        var loaded = SessionRecord.Deserialize(withField);
        Assert.Equal(pq, loaded.CurrentState!.RequiredPqRatchetState);
        Assert.Equal(withField, loaded.Serialize());
        Assert.False(loaded.HasUsableSenderChain(DateTimeOffset.UtcNow));

        await bob.Store.StoreSessionAsync(alice.Address, loaded, default);
        var error = await Assert.ThrowsAsync<NoSessionException>(() => bob.EncryptAsync(alice, "x"));
        Assert.Contains("post-quantum", error.Message, StringComparison.Ordinal);
        var fromAlice = await alice.EncryptAsync(bob, "x");
        Assert.Contains("post-quantum", (await Assert.ThrowsAsync<InvalidMessageException>(() => bob.DecryptAsync(alice, fromAlice))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Corrupt_records_are_refused_with_InvalidRecordException()
    {
        var (alice, bob) = await Conversation.EstablishedAsync();
        var bytes = (await bob.SessionWithAsync(alice)).Serialize();
        Assert.Throws<InvalidRecordException>(() => SessionRecord.Deserialize(bytes[..^1]));
        Assert.Throws<InvalidRecordException>(() => SessionRecord.Deserialize([0x0A, 0x02, 0x08, 0x04])); // state without identity or root key
        Assert.Throws<InvalidRecordException>(() => SessionRecord.Deserialize([0x0B]));
        Assert.Throws<InvalidRecordException>(() => PreKeyRecord.Deserialize([0x12, 0x01, 0x05]));
        Assert.Throws<InvalidRecordException>(() => SenderKeyRecord.Deserialize([0x0A, 0x00]));
    }

    private static byte[] PqState(bool withChain, uint minVersion)
    {
        var negotiation = new List<byte> { 0x0A, 0x20 };
        negotiation.AddRange(Enumerable.Repeat((byte)0x11, 32));
        negotiation.AddRange(new byte[] { 0x10, 0x01 });
        if (minVersion != 0)
        {
            negotiation.AddRange(new byte[] { 0x18, (byte)minVersion });
        }

        var state = new List<byte> { 0x0A, (byte)negotiation.Count };
        state.AddRange(negotiation);
        if (withChain)
        {
            state.AddRange(new byte[] { 0x12, 0x02, 0x08, 0x01 });
        }

        state.AddRange(new byte[] { 0x1A, 0x02, 0x0A, 0x00 });
        return [.. state];
    }

    /// <summary>Appends field 15 to the current SessionStructure of a record.</summary>
    private static byte[] WithPqState(SessionRecord record, byte[] pqState)
    {
        var bytes = record.Serialize();
        var fields = ProtoEdit.Fields(bytes);
        var current = fields.Single(f => f.Field == 1).Raw;
        var currentFields = ProtoEdit.Fields(current.AsSpan(LengthPrefixSize(current)));
        var body = currentFields.SelectMany(f => f.Raw).Concat(new byte[] { 0x7A }).Concat(Varint((uint)pqState.Length)).Concat(pqState).ToArray();
        return [0x0A, .. Varint((uint)body.Length), .. body, .. fields.Where(f => f.Field != 1).SelectMany(f => f.Raw)];
    }

    private static int LengthPrefixSize(byte[] field)
    {
        var i = 1;
        while ((field[i] & 0x80) != 0)
        {
            i++;
        }

        return i + 1;
    }

    private static byte[] Varint(uint value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add(unchecked((byte)(value | 0x80)));
            value >>= 7;
        }

        bytes.Add((byte)value);
        return [.. bytes];
    }
}
