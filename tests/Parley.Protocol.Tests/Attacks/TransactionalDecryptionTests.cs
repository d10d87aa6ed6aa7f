using Parley.Protocol.Groups;
using Parley.Protocol.Messages;
using Parley.Protocol.Tests.Support;

namespace Parley.Protocol.Tests.Attacks;

/// <summary>A failed decryption changes no store, byte for byte (libsignal's rule; TESTPLAN C).</summary>
public sealed class TransactionalDecryptionTests
{
    [Fact]
    public async Task SignalMessage_failed_decryption_does_not_update_stores()
    {
        var (alice, bob) = await Conversation.EstablishedAsync();
        // A skipped message first, so the record holds stored keys that a failed attempt could disturb.
        var skipped = await alice.EncryptAsync(bob, "skipped");
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "seen"));

        var valid = (await alice.EncryptAsync(bob, "valid")).Serialize();
        var before = bob.Snapshot();

        var badMac = (byte[])valid.Clone();
        badMac[^1] ^= 1;
        await Assert.ThrowsAsync<InvalidMessageException>(() => bob.DecryptBytesAsync(alice, CiphertextMessageType.Whisper, badMac));
        Assert.Equal(before, bob.Snapshot());

        // A forged message with a new ratchet key makes the receiver attempt a DH ratchet step before the MAC fails.
        var forgedRatchet = (byte[])valid.Clone();
        forgedRatchet[5] ^= 0x10;
        await Assert.ThrowsAsync<InvalidMessageException>(() => bob.DecryptBytesAsync(alice, CiphertextMessageType.Whisper, forgedRatchet));
        Assert.Equal(before, bob.Snapshot());

        // A forged message far ahead in the chain makes the receiver derive and store keys before the MAC fails.
        var skippedBytes = skipped.Serialize();
        var ahead = SignalMessageWithCounter(valid, 1_900);
        await Assert.ThrowsAsync<InvalidMessageException>(() => bob.DecryptBytesAsync(alice, CiphertextMessageType.Whisper, ahead));
        Assert.Equal(before, bob.Snapshot());

        Assert.Equal("valid", System.Text.Encoding.UTF8.GetString(await bob.DecryptBytesAsync(alice, CiphertextMessageType.Whisper, valid)));
        Assert.Equal("skipped", System.Text.Encoding.UTF8.GetString(await bob.DecryptBytesAsync(alice, CiphertextMessageType.Whisper, skippedBytes)));
    }

    [Fact]
    public async Task PreKeySignalMessage_failed_decryption_does_not_update_stores()
    {
        var alice = new TestParty();
        var bob = new TestParty();
        await alice.StartSessionWithAsync(bob);
        var valid = (await alice.EncryptAsync(bob, "valid")).Serialize();
        var before = bob.Snapshot();

        // Flip a bit of the inner message's MAC: PQXDH runs, the one-time pre-key is used, then the MAC fails.
        var tampered = (byte[])valid.Clone();
        var innerMacOffset = IndexOfInnerMessageEnd(valid) - 1;
        tampered[innerMacOffset] ^= 1;
        await Assert.ThrowsAsync<InvalidMessageException>(() => bob.DecryptBytesAsync(alice, CiphertextMessageType.PreKey, tampered));
        Assert.Equal(before, bob.Snapshot());
        Assert.NotNull(await bob.Store.LoadPreKeyAsync(1, default));
        Assert.Null(await bob.Store.LoadSessionAsync(alice.Address, default));
        Assert.Null(await bob.Store.GetIdentityAsync(alice.Address, default));

        Assert.Equal("valid", System.Text.Encoding.UTF8.GetString(await bob.DecryptBytesAsync(alice, CiphertextMessageType.PreKey, valid)));
        Assert.Null(await bob.Store.LoadPreKeyAsync(1, default));
    }

    [Fact]
    public async Task PreKeySignalMessage_failed_decryption_on_an_existing_session_does_not_update_stores()
    {
        var alice = new TestParty();
        var bob = new TestParty();
        await alice.StartSessionWithAsync(bob);
        var first = await alice.EncryptAsync(bob, "first");
        var second = (await alice.EncryptAsync(bob, "second")).Serialize();
        await bob.DecryptAsync(alice, first);
        await bob.StartSessionWithAsync(alice); // archives the session the PreKey messages belong to
        var before = bob.Snapshot();

        var tampered = (byte[])second.Clone();
        tampered[IndexOfInnerMessageEnd(second) - 1] ^= 1;
        await Assert.ThrowsAsync<InvalidMessageException>(() => bob.DecryptBytesAsync(alice, CiphertextMessageType.PreKey, tampered));
        Assert.Equal(before, bob.Snapshot());
    }

    [Fact]
    public async Task SenderKeyMessage_failed_decryption_does_not_update_stores()
    {
        var group = Guid.NewGuid();
        var alice = new TestParty();
        var bob = new TestParty();
        await GroupSessionBuilder.ProcessDistributionMessageAsync(alice.Address, await GroupSessionBuilder.CreateDistributionMessageAsync(alice.Address, group, alice.Store), bob.Store);
        var skipped = await GroupCipher.EncryptAsync(alice.Address, group, "skipped"u8.ToArray(), alice.Store);
        var valid = (await GroupCipher.EncryptAsync(alice.Address, group, "valid"u8.ToArray(), alice.Store)).Serialize();
        var before = bob.Snapshot();

        foreach (var offset in new[] { 0, 3, valid.Length / 2, valid.Length - 1 })
        {
            var tampered = (byte[])valid.Clone();
            tampered[offset] ^= 0x02;
            await Assert.ThrowsAnyAsync<ProtocolException>(() => bob.DecryptBytesAsync(alice, CiphertextMessageType.SenderKey, tampered));
            Assert.Equal(before, bob.Snapshot());
        }

        Assert.Equal("valid", System.Text.Encoding.UTF8.GetString(await bob.DecryptBytesAsync(alice, CiphertextMessageType.SenderKey, valid)));
        Assert.Equal("skipped", await bob.DecryptAsync(alice, skipped));
    }

    /// <summary>Re-encodes a SignalMessage's counter field (the MAC is left as it was, so it no longer matches).</summary>
    internal static byte[] SignalMessageWithCounter(byte[] message, uint counter)
    {
        var fields = ProtoEdit.Fields(message.AsSpan(1, message.Length - 9));
        var body = new List<byte>();
        foreach (var (field, raw) in fields)
        {
            if (field != 2)
            {
                body.AddRange(raw);
                continue;
            }

            body.Add(0x10);
            var value = counter;
            while (value >= 0x80)
            {
                body.Add(unchecked((byte)(value | 0x80)));
                value >>= 7;
            }

            body.Add((byte)value);
        }

        return [message[0], .. body, .. message[^8..]];
    }

    /// <summary>The offset just past the inner SignalMessage (field 4) of a serialized PreKey message.</summary>
    internal static int IndexOfInnerMessageEnd(byte[] preKeyMessage)
    {
        var offset = 1;
        foreach (var (field, raw) in ProtoEdit.Fields(preKeyMessage.AsSpan(1)))
        {
            offset += raw.Length;
            if (field == 4)
            {
                return offset;
            }
        }

        throw new InvalidOperationException("no inner message");
    }
}
