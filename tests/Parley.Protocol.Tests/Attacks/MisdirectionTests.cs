using Parley.Protocol.Keys;
using Parley.Protocol.Messages;
using Parley.Protocol.Records;
using Parley.Protocol.Stores;
using Parley.Protocol.Tests.Support;

namespace Parley.Protocol.Tests.Attacks;

/// <summary>TESTPLAN C5: a message delivered to the wrong identity, address or device is refused.</summary>
public sealed class MisdirectionTests
{
    [Fact]
    public async Task PreKey_message_to_a_device_with_another_identity_is_refused()
    {
        var alice = new TestParty();
        var bob = new TestParty();
        await alice.StartSessionWithAsync(bob);
        var message = await alice.EncryptAsync(bob, "for bob");

        // Same pre-keys, different local identity key (e.g. a restored backup with a new identity).
        var impostorIdentity = IdentityKeyPair.Generate();
        var impostor = bob.Store.Clone(impostorIdentity, bob.RegistrationId);
        var before = impostor.ComputeStateDigest();
        await Assert.ThrowsAsync<InvalidMessageException>(() => SessionCipher.DecryptPreKeyMessageAsync(
            PreKeySignalMessage.Deserialize(message.Serialize()), alice.Address, bob.Address, impostor, impostor, impostor, impostor, impostor).AsTask());
        Assert.Equal(before, impostor.ComputeStateDigest());
    }

    [Fact]
    public async Task SignalMessage_checked_against_another_receiver_identity_fails_the_MAC()
    {
        var (alice, bob) = await Conversation.EstablishedAsync();
        var message = await alice.EncryptAsync(bob, "for bob");

        // Bob's session record, but a store whose local identity differs: the MAC binds the receiver identity.
        var record = await bob.SessionWithAsync(alice);
        var copy = SessionRecord.Deserialize(record.Serialize());
        var other = new InMemoryProtocolStore(IdentityKeyPair.Generate(), 1);
        await other.StoreSessionAsync(alice.Address, copy, default);
        // The stored state carries Bob's identity, so decryption still uses it: tamper the local identity instead.
        var state = copy.CurrentState!;
        var forged = new Parley.Protocol.Ratchet.SessionState(state.Version, IdentityKeyPair.Generate().IdentityKey, state.RemoteIdentity, state.RootKey, state.AliceBaseKey)
        {
            SenderChain = state.SenderChain,
        };
        forged.ReceiverChains.AddRange(state.ReceiverChains);
        copy.CurrentState = forged;
        await other.StoreSessionAsync(alice.Address, copy, default);
        var error = await Assert.ThrowsAsync<InvalidMessageException>(() => SessionCipher.DecryptSignalMessageAsync(
            SignalMessage.Deserialize(message.Serialize()), alice.Address, bob.Address, other, other).AsTask());
        Assert.Contains("MAC", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PreKey_message_for_another_device_of_the_same_user_is_refused_by_the_addresses_field()
    {
        var alice = new TestParty();
        var bob = new TestParty();
        await alice.StartSessionWithAsync(bob);
        var message = await alice.EncryptAsync(bob, "for device 1");
        var before = bob.Snapshot();

        var wrongDevice = new ProtocolAddress(bob.Address.Name, 2);
        var error = await Assert.ThrowsAsync<InvalidMessageException>(() => SessionCipher.DecryptPreKeyMessageAsync(
            PreKeySignalMessage.Deserialize(message.Serialize()), alice.Address, wrongDevice, bob.Store, bob.Store, bob.Store, bob.Store, bob.Store).AsTask());
        Assert.Contains("address", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, bob.Snapshot());
    }

    [Fact]
    public async Task PreKey_message_attributed_to_another_sender_is_refused_by_the_addresses_field()
    {
        var alice = new TestParty();
        var bob = new TestParty();
        await alice.StartSessionWithAsync(bob);
        var message = await alice.EncryptAsync(bob, "from alice");
        var mallory = new ProtocolAddress(Guid.NewGuid().ToString(), 1);
        await Assert.ThrowsAsync<InvalidMessageException>(() => SessionCipher.DecryptPreKeyMessageAsync(
            PreKeySignalMessage.Deserialize(message.Serialize()), mallory, bob.Address, bob.Store, bob.Store, bob.Store, bob.Store, bob.Store).AsTask());

        // With a non-ServiceId local name the present field cannot be checked, so it is refused too.
        await Assert.ThrowsAsync<InvalidMessageException>(() => SessionCipher.DecryptPreKeyMessageAsync(
            PreKeySignalMessage.Deserialize(message.Serialize()), alice.Address, new ProtocolAddress("bob", 1), bob.Store, bob.Store, bob.Store, bob.Store, bob.Store).AsTask());
        Assert.Equal("from alice", await bob.DecryptAsync(alice, message));
    }

    [Fact]
    public async Task Message_for_Bob_delivered_to_Carol_is_refused()
    {
        var alice = new TestParty();
        var bob = new TestParty();
        var carol = new TestParty();
        await alice.StartSessionWithAsync(bob);
        await alice.StartSessionWithAsync(carol);
        var toBob = await alice.EncryptAsync(bob, "bob only");
        var before = carol.Snapshot();
        await Assert.ThrowsAnyAsync<ProtocolException>(() => carol.DecryptAsync(alice, toBob));
        Assert.Equal(before, carol.Snapshot());
    }
}
