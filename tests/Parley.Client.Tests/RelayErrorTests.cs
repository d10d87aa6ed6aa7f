using Parley.Client.Storage;
using Parley.Client.Tests.Support;
using Parley.Testing;

namespace Parley.Client.Tests;

/// <summary>How the SDK reacts to the relay's refusals: rate limits, deleted accounts.</summary>
public sealed class RelayErrorTests
{
    [Fact]
    public async Task A_429_is_retried_after_its_short_Retry_After_and_otherwise_queues_the_message()
    {
        await using var relay = await TestRelay.StartAsync(limits =>
        {
            limits.RateLimitWindow = TimeSpan.FromSeconds(1);
            limits.RequestsPerAccount = 4;
        });
        await using var bob = await TestProfiles.CreateAsync("bob", relay.Url);
        await using var patient = await TestProfiles.CreateAsync("alice", relay.Url);
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(DeliveryState.Sent, (await patient.SendTextAsync("bob", $"patient {i}")).State);
        }

        var impatientOptions = new ParleyClientOptions { BackgroundMaintenance = false, MaxRetryAfter = TimeSpan.Zero };
        await using var impatient = await TestProfiles.CreateAsync("carol", relay.Url, options: impatientOptions);
        var states = new List<DeliveryState>();
        for (var i = 0; i < 8; i++)
        {
            states.Add((await impatient.SendTextAsync("bob", $"impatient {i}")).State);
        }

        Assert.Contains(DeliveryState.Queued, states);
        await Eventually.TrueAsync(async () => (await impatient.FlushOutboxAsync()).Remaining == 0, TimeSpan.FromSeconds(30), "the outbox drains once the window passes");
        var received = await Conversation.ReceiveAsync(bob, 16);
        Assert.Equal(8, received.Count(m => m.From == "alice"));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"impatient {i}"), received.Where(m => m.From == "carol").Select(m => m.Text));
    }

    [Fact]
    public async Task A_live_receive_ends_with_unauthorized_when_the_account_is_deleted()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var bob = await TestProfiles.CreateAsync("bob", relay.Url);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var error = await Assert.ThrowsAsync<ParleyException>(async () =>
        {
            await foreach (var clientEvent in bob.ReceiveAsync(stop.Token))
            {
                if (clientEvent is ConnectionChanged { State: ConnectionState.Synced })
                {
                    await bob.DeleteAccountAsync();
                }
            }
        });
        Assert.Equal(ParleyErrorCode.Unauthorized, error.Code);
        Assert.False(stop.IsCancellationRequested);
        Assert.Equal(ParleyErrorCode.Unauthorized, (await Assert.ThrowsAsync<ParleyException>(() => bob.FetchPendingAsync(TimeSpan.Zero))).Code);
    }

    [Fact]
    public async Task Processed_envelope_ids_are_forgotten_only_after_the_retention()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var relay = await TestRelay.StartAsync();
        await using var alice = await TestProfiles.CreateAsync("alice", relay.Url);
        await using var bob = await TestProfiles.CreateAsync("bob", relay.Url, options: TestProfiles.Options(clock));
        await alice.SendTextAsync("bob", "remembered");
        await Conversation.ReceiveAsync(bob, 1);
        Assert.Equal(1L, await CountReceivedAsync(bob));
        clock.Advance(TimeSpan.FromDays(59));
        await bob.RunKeyUpkeepAsync();
        Assert.Equal(1L, await CountReceivedAsync(bob));
        clock.Advance(TimeSpan.FromDays(2));
        await bob.RunKeyUpkeepAsync();
        Assert.Equal(0L, await CountReceivedAsync(bob));
    }

    private static Task<long> CountReceivedAsync(ParleyClient client) =>
        client.Context.Database.ReadAsync(tx => ValueTask.FromResult(tx.Scalar("SELECT COUNT(*) FROM " + StoreSchema.Received.Name)), CancellationToken.None);
}
