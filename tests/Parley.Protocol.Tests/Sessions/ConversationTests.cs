using Parley.Protocol.Messages;
using Parley.Protocol.Tests.Support;

namespace Parley.Protocol.Tests.Sessions;

public sealed class ConversationTests
{
    [Fact]
    public async Task Alice_and_Bob_converse_through_several_ratchet_turns()
    {
        var alice = new TestParty();
        var bob = new TestParty();
        await alice.StartSessionWithAsync(bob);

        var first = await alice.EncryptAsync(bob, "hello bob");
        Assert.Equal(CiphertextMessageType.PreKey, first.Type);
        Assert.Equal("hello bob", await bob.DecryptAsync(alice, first));

        for (var turn = 0; turn < 10; turn++)
        {
            var fromBob = await bob.EncryptAsync(alice, $"bob {turn}");
            Assert.Equal(CiphertextMessageType.Whisper, fromBob.Type);
            Assert.Equal($"bob {turn}", await alice.DecryptAsync(bob, fromBob));
            var fromAlice = await alice.EncryptAsync(bob, $"alice {turn}");
            Assert.Equal(CiphertextMessageType.Whisper, fromAlice.Type);
            Assert.Equal($"alice {turn}", await bob.DecryptAsync(alice, fromAlice));
        }
    }

    [Fact]
    public async Task Initiator_keeps_sending_PreKey_messages_until_the_peer_answers()
    {
        var alice = new TestParty();
        var bob = new TestParty();
        await alice.StartSessionWithAsync(bob);

        var messages = new List<CiphertextMessage>();
        for (var i = 0; i < 4; i++)
        {
            messages.Add(await alice.EncryptAsync(bob, $"m{i}"));
        }

        Assert.All(messages, m => Assert.Equal(CiphertextMessageType.PreKey, m.Type));
        var baseKeys = messages.Select(m => Convert.ToBase64String(((PreKeySignalMessage)m).BaseKey.Serialize())).Distinct();
        Assert.Single(baseKeys);

        // Delivered out of order: all map to the same session.
        foreach (var index in new[] { 2, 0, 3, 1 })
        {
            Assert.Equal($"m{index}", await bob.DecryptAsync(alice, messages[index]));
        }

        var bobRecord = await bob.SessionWithAsync(alice);
        Assert.Equal(0, bobRecord.ArchivedStateCount);

        // Still unacknowledged for Alice until Bob's reply decrypts.
        Assert.Equal(CiphertextMessageType.PreKey, (await alice.EncryptAsync(bob, "still prekey")).Type);
        Assert.Equal("reply", await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, "reply")));
        Assert.Equal(CiphertextMessageType.Whisper, (await alice.EncryptAsync(bob, "now plain")).Type);
    }

    [Fact]
    public async Task Session_without_one_time_pre_key_works()
    {
        var alice = new TestParty();
        var bob = new TestParty();
        await alice.StartSessionWithAsync(bob, withOneTimePreKey: false);
        var message = (PreKeySignalMessage)await alice.EncryptAsync(bob, "no opk");
        Assert.Null(message.PreKeyId);
        Assert.Equal("no opk", await bob.DecryptAsync(alice, message));
    }
}
