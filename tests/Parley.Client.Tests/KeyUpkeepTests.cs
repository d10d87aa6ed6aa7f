using Parley.Client.Messaging;
using Parley.Client.Storage;
using Parley.Client.Tests.Support;
using Parley.Testing;

namespace Parley.Client.Tests;

/// <summary>One-time prekey replenishment, signed and last-resort prekey rotation, and the grace period.</summary>
public sealed class KeyUpkeepTests
{
    [Fact]
    public async Task Registration_leaves_100_one_time_prekeys_of_each_kind_on_the_relay()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var bob = await TestProfiles.CreateAsync("bob", relay.Url);
        var count = await bob.Context.Relay!.CountAsync(CancellationToken.None);
        Assert.Equal(100, count.OneTimePreKeys);
        Assert.Equal(100, count.OneTimeKyberPreKeys);
    }

    [Fact]
    public async Task Consumed_one_time_prekeys_are_replenished_to_at_least_the_minimum()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var bob = await TestProfiles.CreateAsync("bob", relay.Url);
        await using var alice = await TestProfiles.CreateAsync("alice", relay.Url);
        for (var i = 0; i < 30; i++)
        {
            await alice.Context.Relay!.BundlesAsync("bob", CancellationToken.None);
        }

        var result = await bob.RunKeyUpkeepAsync();
        Assert.Equal(70, result.OneTimePreKeysOnRelay);
        Assert.Equal(70, result.OneTimeKyberPreKeysOnRelay);
        Assert.Equal(30, result.OneTimePreKeysUploaded);
        Assert.Equal(30, result.OneTimeKyberPreKeysUploaded);
        var count = await bob.Context.Relay!.CountAsync(CancellationToken.None);
        Assert.True(count.OneTimePreKeys >= 100 && count.OneTimeKyberPreKeys >= 100, $"{count}");

        // Receiving (a connect) runs the upkeep too: a message that used a one-time key is made good.
        await alice.SendTextAsync("bob", "uses one of each");
        await Conversation.ReceiveAsync(bob, 1);
        count = await bob.Context.Relay!.CountAsync(CancellationToken.None);
        Assert.Equal(100, count.OneTimePreKeys);
        Assert.Equal(100, count.OneTimeKyberPreKeys);

        // Nothing to do when full.
        var idle = await bob.RunKeyUpkeepAsync();
        Assert.Equal(0, idle.OneTimePreKeysUploaded + idle.OneTimeKyberPreKeysUploaded);
    }

    [Fact]
    public async Task A_receive_left_running_tops_up_consumed_prekeys_every_upkeep_interval_without_reconnecting()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var relay = await TestRelay.StartAsync();
        await using var bob = await TestProfiles.CreateAsync("bob", relay.Url, options: TestProfiles.Options(clock));
        await using var alice = await TestProfiles.CreateAsync("alice", relay.Url);
        for (var i = 0; i < 10; i++)
        {
            await alice.Context.Relay!.BundlesAsync("bob", CancellationToken.None);
        }

        using var stop = new CancellationTokenSource();
        var connects = 0;
        var receiving = Task.Run(async () =>
        {
            await foreach (var clientEvent in bob.ReceiveAsync(stop.Token))
            {
                if (clientEvent is ConnectionChanged { State: ConnectionState.Connected })
                {
                    Interlocked.Increment(ref connects);
                }
            }
        });
        try
        {
            // The connect's own upkeep makes good the first 10: from here on, only the periodic one can act.
            await Eventually.TrueAsync(async () => (await bob.Context.Relay!.CountAsync(CancellationToken.None)).OneTimePreKeys == 100, TimeSpan.FromSeconds(20), "the connect's upkeep");
            for (var i = 0; i < 30; i++)
            {
                await alice.Context.Relay!.BundlesAsync("bob", CancellationToken.None);
            }

            Assert.Equal(70, (await bob.Context.Relay!.CountAsync(CancellationToken.None)).OneTimePreKeys);
            clock.Advance(TimeSpan.FromMinutes(59));
            Assert.Equal(70, (await bob.Context.Relay!.CountAsync(CancellationToken.None)).OneTimePreKeys);

            clock.Advance(TimeSpan.FromMinutes(1));
            await Eventually.TrueAsync(
                async () => await bob.Context.Relay!.CountAsync(CancellationToken.None) is { OneTimePreKeys: 100, OneTimeKyberPreKeys: 100 },
                TimeSpan.FromSeconds(20),
                "the hourly upkeep");
            Assert.Equal(1, Volatile.Read(ref connects));
        }
        finally
        {
            await stop.CancelAsync();
            await receiving;
        }
    }

    [Fact]
    public async Task A_minimum_above_one_upload_is_reached_in_batches_within_the_relays_limit()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var bob = await TestProfiles.CreateAsync("bob", relay.Url, options: TestProfiles.Options(minOneTimePreKeys: 250));
        var count = await bob.Context.Relay!.CountAsync(CancellationToken.None);
        Assert.Equal(250, count.OneTimePreKeys);
        Assert.Equal(250, count.OneTimeKyberPreKeys);
    }

    [Fact]
    public async Task Signed_and_last_resort_prekeys_rotate_after_seven_days_and_old_ones_live_out_their_grace_period()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var relay = await TestRelay.StartAsync();
        await using var bob = await TestProfiles.CreateAsync("bob", relay.Url, options: TestProfiles.Options(clock));
        await using var alice = await TestProfiles.CreateAsync("alice", relay.Url);
        await using var carol = await TestProfiles.CreateAsync("carol", relay.Url);
        var before = await CountersAsync(bob);

        // Two PreKey messages built on the first signed prekey, still in bob's mailbox.
        await alice.SendTextAsync("bob", "in flight from alice");
        await carol.SendTextAsync("bob", "in flight from carol");

        clock.Advance(TimeSpan.FromDays(6));
        var early = await bob.RunKeyUpkeepAsync();
        Assert.False(early.SignedPreKeyRotated);
        Assert.False(early.LastResortKyberPreKeyRotated);

        clock.Advance(TimeSpan.FromDays(2));
        var rotated = await bob.RunKeyUpkeepAsync();
        Assert.True(rotated.SignedPreKeyRotated);
        Assert.True(rotated.LastResortKyberPreKeyRotated);
        var after = await CountersAsync(bob);
        Assert.NotEqual(before.CurrentSignedPreKeyId, after.CurrentSignedPreKeyId);
        Assert.NotEqual(before.CurrentLastResortKyberPreKeyId, after.CurrentLastResortKyberPreKeyId);
        var bundle = Assert.Single((await alice.Context.Relay!.BundlesAsync("bob", CancellationToken.None)).Devices);
        Assert.Equal(after.CurrentSignedPreKeyId, bundle.SignedPreKey.KeyId);

        // Within the grace period the old signed prekey still decrypts alice's message.
        var batch = await bob.Context.Relay!.FetchAsync(CancellationToken.None);
        Assert.Equal(2, batch.Envelopes.Count);
        var receiver = new Receiver(bob.Context);
        var fromAlice = batch.Envelopes.Single(e => e.SourceUsername == "alice");
        Assert.Equal("in flight from alice", Assert.Single((await receiver.ProcessAsync(fromAlice, CancellationToken.None)).OfType<IncomingMessage>()).Text);
        await bob.Context.Relay!.AcknowledgeAsync([fromAlice.Id], CancellationToken.None);

        // After the grace period the old keys are gone, so a message built on them can no longer start a session.
        clock.Advance(TimeSpan.FromDays(31));
        var pruned = await bob.RunKeyUpkeepAsync();
        Assert.True(pruned.OldKeysRemoved >= 2, $"removed {pruned.OldKeysRemoved}");
        Assert.True(pruned.SignedPreKeyRotated);
        var signedIds = await bob.Context.Database.ReadAsync(
            tx => ValueTask.FromResult(tx.Query(StoreSchema.SignedPreKeys, null).Select(r => (long)r.Values[0]).ToList()), CancellationToken.None);
        Assert.DoesNotContain((long)before.CurrentSignedPreKeyId, signedIds);
        var fromCarol = batch.Envelopes.Single(e => e.SourceUsername == "carol");
        var late = Assert.Single(await receiver.ProcessAsync(fromCarol, CancellationToken.None));
        Assert.Contains("prekey", Assert.IsType<UndecryptableMessage>(late).Reason, StringComparison.Ordinal);
    }

    private static Task<KeyCountersEntry> CountersAsync(ParleyClient client) =>
        client.Context.Database.ReadAsync(tx => ValueTask.FromResult(SettingsRows.GetCounters(tx)), CancellationToken.None);
}
