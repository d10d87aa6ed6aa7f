using Parley.Protocol.Messages;
using Parley.Protocol.Records;
using Parley.Protocol.Stores;
using Parley.Protocol.Tests.Support;

namespace Parley.Protocol.Tests.Attacks;

/// <summary>TESTPLAN C2: replays end as duplicates and never create a second session.</summary>
public sealed class ReplayTests
{
    [Fact]
    public async Task Replayed_SignalMessage_is_a_duplicate()
    {
        var (alice, bob) = await Conversation.EstablishedAsync();
        var message = await alice.EncryptAsync(bob, "once");
        Assert.Equal("once", await bob.DecryptAsync(alice, message));
        var before = bob.Snapshot();
        await Assert.ThrowsAsync<DuplicateMessageException>(() => bob.DecryptAsync(alice, message));
        Assert.Equal(before, bob.Snapshot());
    }

    [Fact]
    public async Task Replayed_SignalMessage_is_a_duplicate_after_a_restart_from_stored_bytes()
    {
        var (alice, bob) = await Conversation.EstablishedAsync();
        var message = await alice.EncryptAsync(bob, "once");
        Assert.Equal("once", await bob.DecryptAsync(alice, message));

        // "Restart": a new process loads the persisted bytes into fresh stores.
        var recordBytes = (await bob.SessionWithAsync(alice)).Serialize();
        var identityBytes = bob.Identity.Serialize();
        var restarted = new InMemoryProtocolStore(Parley.Protocol.Keys.IdentityKeyPair.Deserialize(identityBytes), bob.RegistrationId);
        await restarted.StoreSessionAsync(alice.Address, SessionRecord.Deserialize(recordBytes), default);
        await Assert.ThrowsAsync<DuplicateMessageException>(() => SessionCipher.DecryptSignalMessageAsync(
            SignalMessage.Deserialize(message.Serialize()), alice.Address, bob.Address, restarted, restarted).AsTask());

        var next = await alice.EncryptAsync(bob, "after restart");
        Assert.Equal("after restart"u8.ToArray(), await SessionCipher.DecryptSignalMessageAsync(
            SignalMessage.Deserialize(next.Serialize()), alice.Address, bob.Address, restarted, restarted));
    }

    [Fact]
    public async Task Replayed_PreKey_message_after_the_one_time_pre_key_was_used_creates_no_second_session()
    {
        var alice = new TestParty();
        var bob = new TestParty();
        await alice.StartSessionWithAsync(bob);
        var message = await alice.EncryptAsync(bob, "first flight");
        Assert.Equal("first flight", await bob.DecryptAsync(alice, message));
        Assert.Null(await bob.Store.LoadPreKeyAsync(1, default));
        Assert.Null(await bob.Store.LoadKyberPreKeyAsync(1, default)); // one-time Kyber key used up too

        var before = bob.Snapshot();
        await Assert.ThrowsAsync<DuplicateMessageException>(() => bob.DecryptAsync(alice, message));
        Assert.Equal(before, bob.Snapshot());
        var record = await bob.SessionWithAsync(alice);
        Assert.Equal(0, record.ArchivedStateCount);

        // Even with the session gone, the replay cannot rebuild one: its one-time pre-keys are deleted.
        bob.Store.Sessions.DeleteSession(alice.Address);
        var error = await Assert.ThrowsAsync<InvalidPreKeyIdException>(() => bob.DecryptAsync(alice, message));
        Assert.Contains(error.Kind, new[] { PreKeyKind.OneTime, PreKeyKind.Kyber });
        Assert.Null(await bob.Store.LoadSessionAsync(alice.Address, default));
    }

    [Fact]
    public async Task Replayed_PreKey_message_against_a_last_resort_Kyber_key_is_refused_once_the_session_is_gone()
    {
        var alice = new TestParty();
        var bob = new TestParty();
        await alice.ProcessBundleAsync(bob, bob.CreateBundle(withOneTimePreKey: false, lastResortKyber: true));
        var message = await alice.EncryptAsync(bob, "first flight");
        Assert.Equal("first flight", await bob.DecryptAsync(alice, message));
        Assert.NotNull(await bob.Store.LoadKyberPreKeyAsync(1, default)); // last resort: kept

        bob.Store.Sessions.DeleteSession(alice.Address);
        var before = bob.Snapshot();
        await Assert.ThrowsAsync<ReusedBaseKeyException>(() => bob.DecryptAsync(alice, message));
        Assert.Equal(before, bob.Snapshot());
        Assert.Null(await bob.Store.LoadSessionAsync(alice.Address, default));

        // A genuinely new session on the same last-resort key still works.
        await alice.ProcessBundleAsync(bob, bob.CreateBundle(withOneTimePreKey: false, lastResortKyber: true));
        Assert.Equal("new", await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "new")));
    }
}
