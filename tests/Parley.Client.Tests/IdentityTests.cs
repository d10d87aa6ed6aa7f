using System.Text.Json;
using Parley.Client.Tests.Support;
using Parley.Protocol;
using Parley.Testing;

namespace Parley.Client.Tests;

/// <summary>Safety numbers, verification, and what happens when a contact's identity key changes.</summary>
public sealed class IdentityTests
{
    [Fact]
    public void Safety_numbers_match_libsignals_vector()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Vector("libsignal", "static-vectors.json")));
        var vector = document.RootElement.GetProperty("fingerprint");
        var aliceKey = Convert.FromHexString(vector.GetProperty("alice_identity").GetString()!);
        var bobKey = Convert.FromHexString(vector.GetProperty("bob_identity").GetString()!);
        var aliceId = vector.GetProperty("alice_stable_id").GetString()!;
        var bobId = vector.GetProperty("bob_stable_id").GetString()!;

        var aliceView = SafetyNumber.Compute(aliceId, aliceKey, bobId, bobKey);
        var bobView = SafetyNumber.Compute(bobId, bobKey, aliceId, aliceKey);
        Assert.Equal(vector.GetProperty("displayable").GetString(), aliceView.Digits);
        Assert.Equal(aliceView.Digits, bobView.Digits);
        Assert.Equal(vector.GetProperty("alice_scannable_v2").GetString(), Convert.ToHexStringLower(aliceView.Scannable()));
        Assert.Equal(vector.GetProperty("bob_scannable_v2").GetString(), Convert.ToHexStringLower(bobView.Scannable()));
        Assert.True(aliceView.MatchesScanned(bobView.Scannable()));
        Assert.False(aliceView.MatchesScanned(aliceView.Scannable()));
        Assert.False(aliceView.MatchesScanned([1, 2, 3]));
        Assert.Equal(71, aliceView.Formatted.Length);
        Assert.True(aliceView.Matches(aliceView.Formatted));
        Assert.False(aliceView.Matches(aliceView.Digits[..59] + "0" == aliceView.Digits ? aliceView.Digits[..59] + "1" : aliceView.Digits[..59] + "0"));
    }

    [Fact]
    public async Task Both_sides_see_the_same_safety_number_and_verification_needs_the_right_one()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var alice = await TestProfiles.CreateAsync("alice", relay.Url);
        await using var bob = await TestProfiles.CreateAsync("bob", relay.Url);
        var unknown = await Assert.ThrowsAsync<ParleyException>(() => alice.Contacts.GetSafetyNumberAsync("bob"));
        Assert.Equal(ParleyErrorCode.UnknownContact, unknown.Code);

        await alice.SendTextAsync("bob", "hi");
        await Conversation.ReceiveAsync(bob, 1);
        var atAlice = await alice.Contacts.GetSafetyNumberAsync("bob");
        var atBob = await bob.Contacts.GetSafetyNumberAsync("alice");
        Assert.Equal(atAlice.Digits, atBob.Digits);
        Assert.Equal(60, atAlice.Digits.Length);
        Assert.True(atAlice.MatchesScanned(atBob.Scannable()));

        var contact = await alice.Contacts.GetAsync("bob");
        Assert.Equal(VerificationState.Unverified, contact!.Verification);
        Assert.Equal(bob.GetOwnIdentity().IdentityKey, contact.IdentityKey);

        Assert.False(await alice.Contacts.VerifyAsync("bob", new string('1', 60)));
        Assert.Equal(VerificationState.Unverified, (await alice.Contacts.GetAsync("bob"))!.Verification);
        Assert.True(await alice.Contacts.VerifyAsync("bob", atBob.Formatted));
        Assert.Equal(VerificationState.Verified, (await alice.Contacts.GetAsync("bob"))!.Verification);
        await alice.Contacts.MarkUnverifiedAsync("bob");
        Assert.Equal(VerificationState.Unverified, (await alice.Contacts.GetAsync("bob"))!.Verification);
    }

    [Fact]
    public async Task A_verified_contacts_new_identity_is_shown_with_a_warning_and_blocks_sending_until_reverified()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var alice = await TestProfiles.CreateAsync("alice", relay.Url);
        var bob = await TestProfiles.CreateAsync("bob", relay.Url);
        await alice.SendTextAsync("bob", "hi");
        await Conversation.ReceiveAsync(bob, 1);
        var oldNumber = await bob.Contacts.GetSafetyNumberAsync("alice");
        Assert.True(await alice.Contacts.VerifyAsync("bob", oldNumber.Digits));

        await using var newBob = await ReRegisterAsync(bob, relay);
        await newBob.SendTextAsync("alice", "it's me, new keys");

        var events = await alice.FetchPendingAsync(TimeSpan.FromSeconds(5));
        var change = Assert.Single(events.OfType<IdentityChanged>());
        Assert.Equal("bob", change.Contact);
        Assert.True(change.WasVerified);
        Assert.True(change.SendingBlocked);
        Assert.Equal("it's me, new keys", Assert.Single(events.OfType<IncomingMessage>()).Text);
        var contact = (await alice.Contacts.GetAsync("bob"))!;
        Assert.Equal(VerificationState.ChangedAfterVerification, contact.Verification);
        Assert.True(contact.SendingBlocked);
        Assert.NotNull(contact.IdentityChangedAt);
        Assert.Equal(newBob.GetOwnIdentity().IdentityKey, contact.IdentityKey);

        var refused = await Assert.ThrowsAsync<ParleyException>(() => alice.SendTextAsync("bob", "should not go"));
        Assert.Equal(ParleyErrorCode.IdentityChanged, refused.Code);
        Assert.Equal(new OutboxFlushResult(0, 0, 0), await alice.FlushOutboxAsync());

        // The old number no longer verifies; the new one does, and sending resumes.
        Assert.False(await alice.Contacts.VerifyAsync("bob", oldNumber.Digits));
        var newNumber = await newBob.Contacts.GetSafetyNumberAsync("alice");
        Assert.Equal(change.SafetyNumber, newNumber);
        Assert.True(await alice.Contacts.VerifyAsync("bob", newNumber.Formatted));
        var sent = await alice.SendTextAsync("bob", "verified again");
        Assert.Equal(DeliveryState.Sent, sent.State);
        Assert.Equal(sent.MessageId, Assert.Single(await Conversation.ReceiveAsync(newBob, 1)).Id);
    }

    [Fact]
    public async Task An_unverified_contacts_new_identity_is_accepted_with_a_warning()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var alice = await TestProfiles.CreateAsync("alice", relay.Url);
        var bob = await TestProfiles.CreateAsync("bob", relay.Url);
        await alice.SendTextAsync("bob", "hi");
        await Conversation.ReceiveAsync(bob, 1);

        await using var newBob = await ReRegisterAsync(bob, relay);
        await newBob.SendTextAsync("alice", "new keys");
        var events = await alice.FetchPendingAsync(TimeSpan.FromSeconds(5));
        var change = Assert.Single(events.OfType<IdentityChanged>());
        Assert.False(change.WasVerified);
        Assert.False(change.SendingBlocked);
        Assert.Equal(VerificationState.Unverified, (await alice.Contacts.GetAsync("bob"))!.Verification);

        var sent = await alice.SendTextAsync("bob", "welcome back");
        Assert.Equal(DeliveryState.Sent, sent.State);
        Assert.Equal("welcome back", Assert.Single(await Conversation.ReceiveAsync(newBob, 1)).Text);
    }

    [Fact]
    public async Task A_changed_key_found_while_sending_blocks_a_verified_contact_and_warns_for_an_unverified_one()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var alice = await TestProfiles.CreateAsync("alice", relay.Url);
        await using var carol = await TestProfiles.CreateAsync("carol", relay.Url);
        var bob = await TestProfiles.CreateAsync("bob", relay.Url);
        var dave = await TestProfiles.CreateAsync("dave", relay.Url);
        await alice.SendTextAsync("bob", "hi bob");
        await alice.SendTextAsync("dave", "hi dave");
        await Conversation.ReceiveAsync(bob, 1);
        await Conversation.ReceiveAsync(dave, 1);
        await alice.Contacts.MarkVerifiedAsync("bob");

        await using var newBob = await ReRegisterAsync(bob, relay);
        await using var newDave = await ReRegisterAsync(dave, relay);

        // Alice has no usable session any more (e.g. it expired): the next send fetches the new bundles.
        await alice.Context.ProtocolAsync(store =>
        {
            store.DeleteSession(new ProtocolAddress("bob", 1));
            store.DeleteSession(new ProtocolAddress("dave", 1));
            return ValueTask.FromResult(true);
        }, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<ParleyException>(() => alice.SendTextAsync("bob", "not to a changed verified key"));
        Assert.Equal(ParleyErrorCode.IdentityChanged, refused.Code);
        var bobContact = (await alice.Contacts.GetAsync("bob"))!;
        Assert.Equal(VerificationState.ChangedAfterVerification, bobContact.Verification);
        Assert.Equal(newBob.GetOwnIdentity().IdentityKey, bobContact.IdentityKey);
        Assert.Empty((await newBob.FetchPendingAsync(TimeSpan.FromMilliseconds(300))).OfType<IncomingMessage>());

        var warned = await alice.SendTextAsync("dave", "to an unverified changed key");
        Assert.Equal(DeliveryState.Sent, warned.State);
        Assert.NotNull(warned.IdentityWarning);
        Assert.False(warned.IdentityWarning!.WasVerified);
        Assert.Equal("to an unverified changed key", Assert.Single(await Conversation.ReceiveAsync(newDave, 1)).Text);

        // Explicitly accepting the change without verifying also lifts the block.
        await alice.Contacts.MarkUnverifiedAsync("bob");
        Assert.Equal(DeliveryState.Sent, (await alice.SendTextAsync("bob", "accepted")).State);
        Assert.Equal("accepted", Assert.Single(await Conversation.ReceiveAsync(newBob, 1)).Text);
    }

    [Fact]
    public async Task A_message_sent_on_a_stale_session_triggers_a_session_reset_and_is_resent_once()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var alice = await TestProfiles.CreateAsync("alice", relay.Url);
        var bob = await TestProfiles.CreateAsync("bob", relay.Url);
        await alice.SendTextAsync("bob", "hi");
        await Conversation.ReceiveAsync(bob, 1);
        await using var newBob = await ReRegisterAsync(bob, relay);

        // Alice still has the old session: the relay takes the message, the new bob cannot decrypt it.
        var stale = await alice.SendTextAsync("bob", "sent on the old session");
        Assert.Equal(DeliveryState.Sent, stale.State);
        var atNewBob = await newBob.FetchPendingAsync(TimeSpan.FromSeconds(5));
        Assert.IsType<UndecryptableMessage>(Assert.Single(atNewBob));

        // The new bob answered with a fresh session: alice sees the identity change and resends the message.
        var atAlice = await alice.FetchPendingAsync(TimeSpan.FromSeconds(5));
        var change = Assert.Single(atAlice.OfType<IdentityChanged>());
        Assert.False(change.SendingBlocked);
        Assert.Empty(atAlice.OfType<IncomingMessage>());
        await alice.FlushOutboxAsync();
        var resent = Assert.Single(await Conversation.ReceiveAsync(newBob, 1));
        Assert.Equal(stale.MessageId, resent.Id);
        Assert.Equal("sent on the old session", resent.Text);
        Assert.Empty((await newBob.FetchPendingAsync(TimeSpan.FromMilliseconds(300))).OfType<IncomingMessage>());
    }

    [Fact]
    public async Task After_a_verified_contacts_reset_the_resend_is_refused_until_reverified()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var alice = await TestProfiles.CreateAsync("alice", relay.Url);
        var bob = await TestProfiles.CreateAsync("bob", relay.Url);
        await alice.SendTextAsync("bob", "hi");
        await Conversation.ReceiveAsync(bob, 1);
        await alice.Contacts.MarkVerifiedAsync("bob");
        await using var newBob = await ReRegisterAsync(bob, relay);

        await alice.SendTextAsync("bob", "sent on the old session");
        Assert.IsType<UndecryptableMessage>(Assert.Single(await newBob.FetchPendingAsync(TimeSpan.FromSeconds(5))));
        var change = Assert.Single((await alice.FetchPendingAsync(TimeSpan.FromSeconds(5))).OfType<IdentityChanged>());
        Assert.True(change.WasVerified);
        Assert.True(change.SendingBlocked);
        await alice.FlushOutboxAsync();
        Assert.Empty((await newBob.FetchPendingAsync(TimeSpan.FromMilliseconds(500))).OfType<IncomingMessage>());
        Assert.Equal(ParleyErrorCode.IdentityChanged, (await Assert.ThrowsAsync<ParleyException>(() => alice.SendTextAsync("bob", "blocked"))).Code);

        Assert.True(await alice.Contacts.VerifyAsync("bob", (await newBob.Contacts.GetSafetyNumberAsync("alice")).Digits));
        await alice.SendTextAsync("bob", "after re-verifying");
        Assert.Equal("after re-verifying", Assert.Single(await Conversation.ReceiveAsync(newBob, 1)).Text);
    }

    /// <summary>The user deletes the account and registers the same name again with a fresh profile (new identity).</summary>
    private static async Task<ParleyClient> ReRegisterAsync(ParleyClient old, TestRelay relay)
    {
        var name = old.Username;
        await old.DeleteAccountAsync();
        await old.DisposeAsync();
        return await TestProfiles.CreateAsync(name, relay.Url);
    }
}
