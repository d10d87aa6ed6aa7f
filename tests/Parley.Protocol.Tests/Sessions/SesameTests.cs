using System.Security.Cryptography;
using Parley.Protocol.Messages;
using Parley.Protocol.Tests.Support;

namespace Parley.Protocol.Tests.Sessions;

/// <summary>Session records with several states: archive, promotion, simultaneous initiation (PROTOCOL.md §5.4, §6.3).</summary>
public sealed class SesameTests
{
    [Fact]
    public async Task Simultaneous_initiation_converges_on_one_session()
    {
        var alice = new TestParty();
        var bob = new TestParty();
        await alice.StartSessionWithAsync(bob);
        await bob.StartSessionWithAsync(alice);

        var fromAlice = await alice.EncryptAsync(bob, "alice first");
        var fromBob = await bob.EncryptAsync(alice, "bob first");
        Assert.Equal(CiphertextMessageType.PreKey, fromAlice.Type);
        Assert.Equal(CiphertextMessageType.PreKey, fromBob.Type);

        Assert.Equal("bob first", await alice.DecryptAsync(bob, fromBob));
        Assert.Equal("alice first", await bob.DecryptAsync(alice, fromAlice));

        var aliceRecord = await alice.SessionWithAsync(bob);
        var bobRecord = await bob.SessionWithAsync(alice);
        Assert.Equal(1, aliceRecord.ArchivedStateCount);
        Assert.Equal(1, bobRecord.ArchivedStateCount);
        Assert.False(aliceRecord.CurrentState!.AliceBaseKey.AsSpan().SequenceEqual(bobRecord.CurrentState!.AliceBaseKey));

        // Alice answers on her current session (the one Bob started); Bob finds it archived and promotes it.
        var answer = await alice.EncryptAsync(bob, "answer");
        Assert.Equal(CiphertextMessageType.Whisper, answer.Type);
        Assert.Equal("answer", await bob.DecryptAsync(alice, answer));
        aliceRecord = await alice.SessionWithAsync(bob);
        bobRecord = await bob.SessionWithAsync(alice);
        Assert.True(aliceRecord.CurrentState!.AliceBaseKey.AsSpan().SequenceEqual(bobRecord.CurrentState!.AliceBaseKey));

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal($"b{i}", await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, $"b{i}")));
            Assert.Equal($"a{i}", await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, $"a{i}")));
        }
    }

    [Fact]
    public async Task A_new_bundle_archives_the_current_session_and_old_messages_still_decrypt()
    {
        var (alice, bob) = await Conversation.EstablishedAsync();
        var inFlight = await alice.EncryptAsync(bob, "sent on the old session");

        // Bob re-keys towards Alice: his old session is archived.
        await bob.StartSessionWithAsync(alice);
        var bobRecord = await bob.SessionWithAsync(alice);
        Assert.Equal(1, bobRecord.ArchivedStateCount);
        Assert.False(bobRecord.PreviousStates[0].PendingPreKey is not null, "archived states drop their pending pre-key data");

        Assert.Equal("sent on the old session", await bob.DecryptAsync(alice, inFlight));
        bobRecord = await bob.SessionWithAsync(alice);
        Assert.False(bobRecord.IsUnacknowledged, "the old, acknowledged session was promoted back to current");
    }

    [Fact]
    public async Task A_record_keeps_at_most_40_archived_states()
    {
        var alice = new TestParty();
        var bob = new TestParty();
        var firstFlights = new List<CiphertextMessage>();
        for (var i = 0; i < ProtocolLimits.MaxArchivedStates + 3; i++)
        {
            await alice.StartSessionWithAsync(bob, withOneTimePreKey: false);
            firstFlights.Add(await alice.EncryptAsync(bob, $"session {i}"));
        }

        Assert.Equal(ProtocolLimits.MaxArchivedStates, (await alice.SessionWithAsync(bob)).ArchivedStateCount);

        foreach (var (message, i) in firstFlights.Select((m, i) => (m, i)))
        {
            Assert.Equal($"session {i}", await bob.DecryptAsync(alice, message));
        }

        var bobRecord = await bob.SessionWithAsync(alice);
        Assert.Equal(ProtocolLimits.MaxArchivedStates, bobRecord.ArchivedStateCount);
        Assert.True(bobRecord.Serialize().Length < 200_000);
    }

    [Fact]
    public async Task Repeated_PreKey_message_after_the_session_moved_on_maps_to_the_same_session()
    {
        var alice = new TestParty();
        var bob = new TestParty();
        await alice.StartSessionWithAsync(bob);
        var first = await alice.EncryptAsync(bob, "one");
        var second = await alice.EncryptAsync(bob, "two");
        Assert.Equal("one", await bob.DecryptAsync(alice, first));

        // Bob starts his own session towards Alice (archiving the one from her PreKey message)...
        await bob.StartSessionWithAsync(alice);
        // ...then Alice's second PreKey message arrives: it is matched by base key and promoted, not rebuilt.
        Assert.Equal("two", await bob.DecryptAsync(alice, second));
        var record = await bob.SessionWithAsync(alice);
        Assert.Equal(1, record.ArchivedStateCount);
        Assert.True(record.CurrentState!.HasAliceBaseKey(((PreKeySignalMessage)first).BaseKey.Serialize()));
    }

    [Fact]
    public async Task Unacknowledged_session_stops_sending_after_30_days()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var environment = new ProtocolEnvironment(clock, RandomNumberGenerator.Create());
        var alice = new TestParty(environment: environment);
        var bob = new TestParty();
        await alice.StartSessionWithAsync(bob);

        clock.Advance(ProtocolLimits.MaxUnacknowledgedSessionAge);
        Assert.Equal(CiphertextMessageType.PreKey, (await alice.EncryptAsync(bob, "day 30")).Type);
        Assert.True((await alice.SessionWithAsync(bob)).HasUsableSenderChain(clock.Now));

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.False((await alice.SessionWithAsync(bob)).HasUsableSenderChain(clock.Now));
        var before = alice.Snapshot();
        await Assert.ThrowsAsync<NoSessionException>(() => alice.EncryptAsync(bob, "too late"));
        Assert.Equal(before, alice.Snapshot());
    }

    [Fact]
    public async Task Acknowledged_session_never_expires()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var environment = new ProtocolEnvironment(clock, RandomNumberGenerator.Create());
        var (alice, bob) = await Conversation.EstablishedAsync(environment);
        clock.Advance(TimeSpan.FromDays(365));
        Assert.Equal("later", await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "later")));
    }

    [Fact]
    public async Task Encrypting_without_a_session_fails_with_NoSession()
    {
        var alice = new TestParty();
        var bob = new TestParty();
        var error = await Assert.ThrowsAsync<NoSessionException>(() => alice.EncryptAsync(bob, "x"));
        Assert.Equal(bob.Address, error.Address);
    }

    [Fact]
    public async Task Deterministic_randomness_gives_identical_transcripts()
    {
        async Task<byte[]> RunAsync()
        {
            var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
            var alice = new TestParty("aaaaaaaa-0000-4000-8000-000000000001", environment: new ProtocolEnvironment(clock, new DeterministicRandom(1)));
            var bob = new TestParty("bbbbbbbb-0000-4000-8000-000000000002", environment: new ProtocolEnvironment(clock, new DeterministicRandom(2)));
            await alice.StartSessionWithAsync(bob, withOneTimePreKey: false);
            var first = await alice.EncryptAsync(bob, "one");
            await bob.DecryptAsync(alice, first);
            var reply = await bob.EncryptAsync(alice, "two");
            // The Kyber encapsulation is random, so compare what follows from the seeded keys only.
            return [.. ((PreKeySignalMessage)first).BaseKey.Serialize(), .. ((SignalMessage)reply).SenderRatchetKey.Serialize()];
        }

        Assert.Equal(await RunAsync(), await RunAsync());
    }
}
