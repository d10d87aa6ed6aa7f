using System.Diagnostics;
using Parley.Client.Storage;
using Parley.Client.Tests.Support;
using Parley.Crypto.Passwords;
using Xunit.Abstractions;

namespace Parley.Client.Tests;

/// <summary>The encrypted profile store: passphrases, integrity (TESTPLAN F3 and parts of F2), reopening, creation.</summary>
public sealed class ProfileStoreTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_wrong_passphrase_fails_cleanly_and_the_right_one_still_opens()
    {
        var directory = await NewPeerProfileAsync("alice");
        var error = await Assert.ThrowsAsync<ParleyException>(() => TestProfiles.OpenAsync(directory, passphrase: "not the passphrase"));
        Assert.Equal(ParleyErrorCode.WrongPassphrase, error.Code);
        Assert.False(error.IsTransient);
        Assert.DoesNotContain(TestProfiles.Passphrase, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
        Assert.Equal(ParleyErrorCode.WrongPassphrase, (await Assert.ThrowsAsync<ParleyException>(() => TestProfiles.OpenAsync(directory, passphrase: ""))).Code);
        await using var client = await TestProfiles.OpenAsync(directory);
        Assert.Equal("alice", client.Username);
    }

    [Fact]
    public async Task A_database_file_from_another_profile_fails_closed()
    {
        var alice = await NewPeerProfileAsync("alice");
        var bob = await NewPeerProfileAsync("bob");
        File.Copy(ProfileDatabase.DatabasePath(bob), ProfileDatabase.DatabasePath(alice), overwrite: true);
        var error = await Assert.ThrowsAsync<ParleyException>(() => TestProfiles.OpenAsync(alice));
        Assert.Equal(ParleyErrorCode.StoreTampered, error.Code);
        Assert.Contains("another profile", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_copied_from_another_profile_fails_closed()
    {
        var alice = await NewPeerProfileAsync("alice");
        var bob = await NewPeerProfileAsync("bob");
        var bobsIdentity = (byte[])RawDatabase.Scalar(bob, "SELECT cell FROM settings WHERE name = 'identity'")!;
        RawDatabase.Execute(alice, "UPDATE settings SET cell = $c WHERE name = 'identity'", ("$c", bobsIdentity));
        Assert.Equal(ParleyErrorCode.StoreTampered, (await Assert.ThrowsAsync<ParleyException>(() => TestProfiles.OpenAsync(alice))).Code);
    }

    [Fact]
    public async Task Moving_deleting_or_replaying_a_row_fails_closed()
    {
        var original = await NewPeerProfileAsync("alice", peerContact: true);

        // Two cells swapped between rows of the same table.
        await AssertTamperedAsync(original, dir =>
        {
            var ids = RawDatabase.Cells(dir).Where(c => c.Table == "prekeys").Take(2).ToList();
            var first = RawDatabase.Cell(dir, "prekeys", ids[0].RowId);
            RawDatabase.SetCell(dir, "prekeys", ids[0].RowId, RawDatabase.Cell(dir, "prekeys", ids[1].RowId));
            RawDatabase.SetCell(dir, "prekeys", ids[1].RowId, first);
        });

        // A clear key column edited.
        await AssertTamperedAsync(original, dir => RawDatabase.Execute(dir, "UPDATE prekeys SET id = id + 1000000 WHERE rowid = (SELECT MIN(rowid) FROM prekeys)"));

        // A whole row deleted: every remaining cell is authentic, the row-set digest is not.
        await AssertTamperedAsync(original, dir => RawDatabase.Execute(dir, "DELETE FROM prekeys WHERE rowid = (SELECT MIN(rowid) FROM prekeys)"));

        // An old version of a row put back (the contact's verification state rolled back).
        var replay = TestFiles.NewDirectory("replay");
        RawDatabase.CopyProfile(original, replay);
        var unverified = (byte[])RawDatabase.Scalar(replay, "SELECT cell FROM contacts WHERE name = 'bob'")!;
        await using (var client = await TestProfiles.OpenAsync(replay))
        {
            await client.Contacts.MarkVerifiedAsync("bob");
        }

        RawDatabase.Execute(replay, "UPDATE contacts SET cell = $c WHERE name = 'bob'", ("$c", unverified));
        Assert.Equal(ParleyErrorCode.StoreTampered, (await Assert.ThrowsAsync<ParleyException>(() => TestProfiles.OpenAsync(replay))).Code);

        // A table or index added.
        await AssertTamperedAsync(original, dir => RawDatabase.Execute(dir, "CREATE TABLE extra (x INTEGER)"));

        // The stored Argon2id cost raised to an absurd value (a denial of service on open).
        await AssertTamperedAsync(original, dir => RawDatabase.Execute(
            dir, "UPDATE meta SET value = $v WHERE name = 'kdf'", ("$v", ProfileKeys.EncodeCost(new Argon2idCost(3, unchecked((nuint)(64UL << 30)))))));

        // The untouched copy still opens.
        await using var intact = await TestProfiles.OpenAsync(original);
        Assert.Equal("alice", intact.Username);
    }

    [Fact]
    public async Task Reopening_a_profile_restores_identity_contacts_sessions_and_history()
    {
        await using var relay = await TestRelay.StartAsync();
        var aliceDir = TestFiles.NewDirectory("alice");
        var bobDir = TestFiles.NewDirectory("bob");
        byte[] aliceKey;
        await using (var alice = await TestProfiles.CreateAsync("alice", relay.Url, aliceDir))
        await using (var bob = await TestProfiles.CreateAsync("bob", relay.Url, bobDir))
        {
            aliceKey = alice.GetOwnIdentity().IdentityKey;
            await alice.SendTextAsync("bob", "before restart");
            await Conversation.ReceiveAsync(bob, 1);
            await alice.Contacts.MarkVerifiedAsync("bob");
        }

        await using (var alice = await TestProfiles.OpenAsync(aliceDir))
        await using (var bob = await TestProfiles.OpenAsync(bobDir))
        {
            Assert.Equal(aliceKey, alice.GetOwnIdentity().IdentityKey);
            Assert.Equal(relay.Url, alice.RelayUrl);
            Assert.Equal(VerificationState.Verified, (await alice.Contacts.GetAsync("bob"))!.Verification);
            Assert.Equal("before restart", Assert.Single(await bob.GetConversationAsync("alice")).Text);
            await bob.SendTextAsync("alice", "after restart");
            await alice.SendTextAsync("bob", "also after restart");
            Assert.Equal("after restart", Assert.Single(await Conversation.ReceiveAsync(alice, 1)).Text);
            Assert.Equal("also after restart", Assert.Single(await Conversation.ReceiveAsync(bob, 1)).Text);
        }
    }

    [Fact]
    public async Task Profile_creation_refuses_an_existing_profile_and_opening_needs_one()
    {
        var directory = await NewPeerProfileAsync("alice");
        var exists = await Assert.ThrowsAsync<ParleyException>(() => TestProfiles.CreateAsync("alice", null, directory));
        Assert.Equal(ParleyErrorCode.ProfileExists, exists.Code);
        Assert.True(ParleyClient.ProfileExists(directory));
        var missing = await Assert.ThrowsAsync<ParleyException>(() => TestProfiles.OpenAsync(TestFiles.NewDirectory("empty")));
        Assert.Equal(ParleyErrorCode.ProfileNotFound, missing.Code);
    }

    [Fact]
    public async Task A_failed_registration_leaves_nothing_behind_so_init_can_be_repeated()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var first = await TestProfiles.CreateAsync("alice", relay.Url);
        var directory = TestFiles.NewDirectory("second");
        var taken = await Assert.ThrowsAsync<ParleyException>(() => TestProfiles.CreateAsync("alice", relay.Url, directory));
        Assert.Equal(ParleyErrorCode.UsernameTaken, taken.Code);
        Assert.False(ParleyClient.ProfileExists(directory));

        await relay.StopAsync();
        var unreachable = await Assert.ThrowsAsync<ParleyException>(() => TestProfiles.CreateAsync("alicia", relay.Url, directory));
        Assert.Equal(ParleyErrorCode.RelayUnreachable, unreachable.Code);
        Assert.True(unreachable.IsTransient);
        Assert.False(ParleyClient.ProfileExists(directory));

        await relay.StartAgainAsync();
        await using var second = await TestProfiles.CreateAsync("alicia", relay.Url, directory);
        Assert.Equal("alicia", second.Username);
    }

    [Fact]
    public async Task Changing_the_passphrase_rewraps_the_key()
    {
        var directory = await NewPeerProfileAsync("alice");
        await using (var client = await TestProfiles.OpenAsync(directory))
        {
            await Assert.ThrowsAsync<ParleyException>(() => client.ChangePassphraseAsync("wrong", "new passphrase", TestProfiles.CheapCost));
            await client.ChangePassphraseAsync(TestProfiles.Passphrase, "new passphrase", TestProfiles.CheapCost);
        }

        Assert.Equal(ParleyErrorCode.WrongPassphrase, (await Assert.ThrowsAsync<ParleyException>(() => TestProfiles.OpenAsync(directory))).Code);
        await using var reopened = await TestProfiles.OpenAsync(directory, passphrase: "new passphrase");
        Assert.Equal("alice", reopened.Username);
    }

    [Fact]
    public async Task The_default_passphrase_cost_is_argon2id_interactive_and_files_are_private()
    {
        var directory = TestFiles.NewDirectory("default-cost");
        var watch = Stopwatch.StartNew();
        await using (await ParleyClient.CreateProfileAsync(new ProfileOptions { Directory = directory, Passphrase = "pw", Username = "alice" }))
        {
            output.WriteLine($"create with the default cost (Argon2id 2 passes, 64 MiB): {watch.ElapsedMilliseconds} ms");
        }

        Assert.Equal(ProfileKeys.EncodeCost(Argon2idCost.Interactive), (byte[])RawDatabase.Scalar(directory, "SELECT value FROM meta WHERE name = 'kdf'")!);
        watch.Restart();
        await using (await ParleyClient.OpenAsync(directory, "pw", TestProfiles.Options()))
        {
            output.WriteLine($"open with the default cost: {watch.ElapsedMilliseconds} ms");
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ProfileDatabase.DatabasePath(directory)));
        }
    }

    [Fact]
    public async Task The_store_runs_in_wal_mode_with_full_sync_and_memory_temp_storage()
    {
        var directory = await NewPeerProfileAsync("alice");
        await using var client = await TestProfiles.OpenAsync(directory);
        var settings = await client.Context.Database.ReadAsync(tx => ValueTask.FromResult((
            tx.Scalar("PRAGMA synchronous"), tx.Scalar("PRAGMA temp_store"), tx.Scalar("PRAGMA secure_delete"))), CancellationToken.None);
        Assert.Equal((2L, 2L, 1L), settings);
        Assert.Equal("wal", RawDatabase.Scalar(directory, "PRAGMA journal_mode"));
    }

    /// <summary>A closed peer-only profile (no relay needed); with a contact "bob" when asked.</summary>
    private static async Task<string> NewPeerProfileAsync(string name, bool peerContact = false)
    {
        var directory = TestFiles.NewDirectory(name);
        await using var client = await TestProfiles.CreateAsync(name, null, directory);
        if (peerContact)
        {
            await using var bob = await TestProfiles.CreateAsync("bob", null);
            await client.AcceptPeerBundleAsync("bob", await bob.CreatePeerBundleAsync());
            for (var i = 0; i < 5; i++)
            {
                await client.CreatePeerBundleAsync();
            }
        }

        return directory;
    }

    private static async Task AssertTamperedAsync(string original, Action<string> tamper)
    {
        var copy = TestFiles.NewDirectory("tamper");
        RawDatabase.CopyProfile(original, copy);
        tamper(copy);
        var error = await Assert.ThrowsAsync<ParleyException>(() => TestProfiles.OpenAsync(copy));
        Assert.Equal(ParleyErrorCode.StoreTampered, error.Code);
        TestFiles.DeleteQuietly(copy);
    }
}
