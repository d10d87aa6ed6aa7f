using System.Globalization;
using Parley.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// TESTPLAN E5 through the CLI: the receiving client dies abruptly between decrypting and acknowledging
/// (the SDK's crash points, PARLEY_CRASH_POINT, end the process with FailFast); after a restart the message is
/// shown exactly once and the next 100 messages decrypt (no ratchet desynchronisation).
/// </summary>
public sealed class ClientCrashTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("after-decrypt-before-commit")]
    [InlineData("after-commit-before-ack")]
    public async Task Receiver_killed_between_decrypt_and_ack_shows_the_message_once_and_the_next_100_decrypt(string crashPoint)
    {
        using var root = new TemporaryDirectory("crash");
        await using var relay = await RelayProcess.StartAsync(root.Sub("relay"));
        var alice = await UserProfile.CreateAsync(root.Path, "alice", relay.Url);
        var bob = await UserProfile.CreateAsync(root.Path, "bob", relay.Url);

        await alice.SendAsync("bob", "the message in flight");
        await bob.SendAsync("alice", "a reply so both ratchets have turned");
        Assert.Single(await alice.ReceiveAsync(1));
        await alice.SendAsync("bob", "second message in flight");

        var crashed = await bob.RunAsync(
            ["receive", "--json", "--wait", "10"],
            extraEnvironment: new Dictionary<string, string?> { ["PARLEY_CRASH_POINT"] = crashPoint });
        Assert.True(crashed.ExitCode != 0, $"the crash point {crashPoint} was not reached: {crashed}");
        output.WriteLine($"receive died at {crashPoint} with exit code {crashed.ExitCode}; printed {crashed.Output.Count} lines");

        var afterRestart = await bob.ReceiveAsync(2 - crashed.Output.Count);
        var shown = crashed.Output.Select(ReceivedMessage.Parse).Concat(afterRestart).Select(m => m.Text).ToList();
        Assert.Equal(["the message in flight", "second message in flight"], shown);

        // The next 100 messages: one chat process sends them all, one receive prints them.
        var lines = Enumerable.Range(1, 100).Select(i => $"after the crash #{i.ToString("D3", CultureInfo.InvariantCulture)}").ToList();
        var sender = await alice.RunAsync(["chat", "bob"], input: string.Join('\n', lines), within: TimeSpan.FromSeconds(120));
        Assert.True(sender.ExitCode == 0, sender.ToString());
        var next = await bob.ReceiveAsync(100, TimeSpan.FromSeconds(120));
        Assert.Equal(lines, next.Select(m => m.Text));
        Assert.Equal(100, next.Select(m => m.Id).Distinct().Count());
        output.WriteLine($"{crashPoint}: in-flight message shown once; next 100 decrypted in order");
    }
}
