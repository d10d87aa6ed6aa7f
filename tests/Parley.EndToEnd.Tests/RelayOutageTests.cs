using Parley.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace Parley.EndToEnd.Tests;

/// <summary>The relay goes away (kill -9) and comes back: what was sent meanwhile waits in the outbox and arrives once.</summary>
public sealed class RelayOutageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Messages_sent_while_the_relay_is_down_are_queued_and_delivered_once_when_it_returns()
    {
        using var root = new TemporaryDirectory("outage");
        await using var relay = await RelayProcess.StartAsync(root.Sub("relay"));
        var alice = await UserProfile.CreateAsync(root.Path, "alice", relay.Url);
        var bob = await UserProfile.CreateAsync(root.Path, "bob", relay.Url);
        await alice.SendAsync("bob", "before the outage");
        Assert.Equal("before the outage", Assert.Single(await bob.ReceiveAsync(1)).Text);

        // A running chat (line mode) that lives through the outage.
        await using var chat = alice.Start("alice-chat", ["chat", "bob"]);
        await chat.WaitForErrorAsync(l => l.StartsWith("connected", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "alice's chat online");

        await relay.KillAsync();
        output.WriteLine("relay killed (kill -9)");

        var queued = await alice.RunAsync(["send", "bob"], input: "sent by a command while the relay was down");
        Assert.True(queued.ExitCode == 0, queued.ToString());
        Assert.Contains("queued", queued.ErrorText, StringComparison.Ordinal);

        await chat.WriteLineAsync("typed in the chat while the relay was down");
        await chat.WaitForErrorAsync(l => l.StartsWith("queued", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the chat line queued");

        await relay.StartAgainAsync();
        output.WriteLine("relay restarted on the same port and data");

        // The chat reconnects by itself and flushes the outbox (both queued messages: they share the profile's outbox).
        var received = await bob.ReceiveAsync(2, TimeSpan.FromSeconds(90));
        Assert.Equal(
            ["sent by a command while the relay was down", "typed in the chat while the relay was down"],
            received.Select(m => m.Text).Order(StringComparer.Ordinal));
        await chat.WaitForErrorAsync(l => l.StartsWith("sent ", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the chat reporting its queued line sent");

        chat.CloseInput();
        Assert.Equal(0, await chat.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var again = await bob.RunAsync(["receive", "--json", "--wait", "2"]);
        Assert.Empty(again.Output);
        output.WriteLine("both queued messages delivered exactly once after the relay returned");
    }
}
