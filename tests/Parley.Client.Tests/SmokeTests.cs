using Parley.Client.Tests.Support;

namespace Parley.Client.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task Two_profiles_exchange_a_message()
    {
        await using var relay = await TestRelay.StartAsync();
        await using var alice = await TestProfiles.CreateAsync("alice", relay.Url);
        await using var bob = await TestProfiles.CreateAsync("bob", relay.Url);
        var sent = await alice.SendTextAsync("bob", "hello bob");
        Assert.Equal(DeliveryState.Sent, sent.State);
        var events = await bob.FetchPendingAsync(TimeSpan.Zero);
        var message = Assert.Single(events.OfType<IncomingMessage>());
        Assert.Equal("hello bob", message.Text);
        Assert.Equal(sent.MessageId, message.Id);
        var reply = await bob.SendTextAsync("alice", "hi alice");
        var back = await alice.FetchPendingAsync(TimeSpan.Zero);
        Assert.Equal("hi alice", Assert.Single(back.OfType<IncomingMessage>()).Text);
    }
}
