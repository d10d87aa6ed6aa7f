using Parley.Client.Tests.Support;

namespace Parley.Client.Tests;

/// <summary>Direct two-peer mode without a relay: bundles, messages, duplicates, identity rules.</summary>
public sealed class PeerModeTests
{
    [Fact]
    public async Task Two_peer_only_profiles_exchange_messages_through_bundles()
    {
        await using var alice = await TestProfiles.CreateAsync("alice", null);
        await using var bob = await TestProfiles.CreateAsync("bob", null);
        Assert.Null(alice.RelayUrl);
        Assert.Equal(ParleyErrorCode.NotRegistered, (await Assert.ThrowsAsync<ParleyException>(() => alice.SendTextAsync("bob", "x"))).Code);

        var bundle = PeerBundle.FromJson((await bob.CreatePeerBundleAsync()).ToJson());
        var session = await alice.AcceptPeerBundleAsync("bob", bundle);
        Assert.Equal("bob", session.Contact.Username);
        Assert.Null(session.IdentityWarning);

        var first = await alice.EncryptForPeerAsync("bob", "hello over the wire");
        Assert.Equal(3, first.Type);
        var events = await bob.DecryptFromPeerAsync("alice", first.Type, first.Body);
        var message = Assert.Single(events.OfType<IncomingMessage>());
        Assert.Equal(first.MessageId, message.Id);
        Assert.Equal("hello over the wire", message.Text);
        Assert.Null(message.EnvelopeId);

        // The same ciphertext again: nothing new.
        Assert.Empty((await bob.DecryptFromPeerAsync("alice", first.Type, first.Body)).OfType<IncomingMessage>());

        var reply = await bob.EncryptForPeerAsync("alice", "hello back");
        Assert.Equal("hello back", Assert.Single((await alice.DecryptFromPeerAsync("bob", reply.Type, reply.Body)).OfType<IncomingMessage>()).Text);
        var next = await alice.EncryptForPeerAsync("bob", "now a whisper message");
        Assert.Equal(2, next.Type);
        Assert.Equal("now a whisper message", Assert.Single((await bob.DecryptFromPeerAsync("alice", next.Type, next.Body)).OfType<IncomingMessage>()).Text);

        Assert.Equal((await alice.Contacts.GetSafetyNumberAsync("bob")).Digits, (await bob.Contacts.GetSafetyNumberAsync("alice")).Digits);
        Assert.Equal(3, (await alice.GetConversationAsync("bob")).Count);
    }

    [Fact]
    public async Task Garbage_from_a_peer_is_reported_not_thrown_and_changes_nothing()
    {
        await using var alice = await TestProfiles.CreateAsync("alice", null);
        await using var bob = await TestProfiles.CreateAsync("bob", null);
        await alice.AcceptPeerBundleAsync("bob", await bob.CreatePeerBundleAsync());
        var real = await alice.EncryptForPeerAsync("bob", "real");
        foreach (var (type, body) in new (int, byte[])[] { (3, [1, 2, 3]), (2, []), (9, real.Body), (2, real.Body), (3, real.Body[..^5]) })
        {
            var events = await bob.DecryptFromPeerAsync("alice", type, body);
            Assert.IsType<UndecryptableMessage>(Assert.Single(events));
        }

        Assert.Equal("real", Assert.Single((await bob.DecryptFromPeerAsync("alice", real.Type, real.Body)).OfType<IncomingMessage>()).Text);
    }

    [Fact]
    public async Task Malformed_peer_bundles_are_refused_with_invalid_peer_data()
    {
        await using var alice = await TestProfiles.CreateAsync("alice", null);
        await using var bob = await TestProfiles.CreateAsync("bob", null);
        var bundle = await bob.CreatePeerBundleAsync();
        var badSignature = bundle with { SignedPreKeySignature = new byte[64] };
        var badKey = bundle with { KyberPreKey = bundle.KyberPreKey[..100] };
        foreach (var bad in new[] { badSignature, badKey })
        {
            Assert.Equal(ParleyErrorCode.InvalidPeerData, (await Assert.ThrowsAsync<ParleyException>(() => alice.AcceptPeerBundleAsync("bob", bad))).Code);
        }

        foreach (var json in new[] { "{}", "[]", "not json", bundle.ToJson().Replace("\"username\"", "\"extra\":1,\"username\"", StringComparison.Ordinal), new string(' ', PeerBundle.MaxJsonBytes + 1) })
        {
            Assert.Equal(ParleyErrorCode.InvalidPeerData, Assert.Throws<ParleyException>(() => PeerBundle.FromJson(json)).Code);
        }

        Assert.Null(await alice.Contacts.GetAsync("bob"));
    }

    [Fact]
    public async Task A_verified_peer_with_a_new_identity_is_refused_and_an_unverified_one_accepted_with_a_warning()
    {
        await using var alice = await TestProfiles.CreateAsync("alice", null);
        await using (var bob = await TestProfiles.CreateAsync("bob", null))
        await using (var carol = await TestProfiles.CreateAsync("carol", null))
        {
            await alice.AcceptPeerBundleAsync("bob", await bob.CreatePeerBundleAsync());
            await alice.AcceptPeerBundleAsync("carol", await carol.CreatePeerBundleAsync());
            await alice.Contacts.MarkVerifiedAsync("bob");
        }

        await using var newBob = await TestProfiles.CreateAsync("bob", null);
        await using var newCarol = await TestProfiles.CreateAsync("carol", null);
        var refused = await Assert.ThrowsAsync<ParleyException>(async () => await alice.AcceptPeerBundleAsync("bob", await newBob.CreatePeerBundleAsync()));
        Assert.Equal(ParleyErrorCode.IdentityChanged, refused.Code);
        Assert.Equal(ParleyErrorCode.IdentityChanged, (await Assert.ThrowsAsync<ParleyException>(() => alice.EncryptForPeerAsync("bob", "no"))).Code);

        var accepted = await alice.AcceptPeerBundleAsync("carol", await newCarol.CreatePeerBundleAsync());
        Assert.NotNull(accepted.IdentityWarning);
        Assert.False(accepted.IdentityWarning!.WasVerified);
        var message = await alice.EncryptForPeerAsync("carol", "hi new carol");
        Assert.Equal("hi new carol", Assert.Single((await newCarol.DecryptFromPeerAsync("alice", message.Type, message.Body)).OfType<IncomingMessage>()).Text);
    }
}
