using System.Text.Json.Nodes;
using Parley.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace Parley.EndToEnd.Tests;

/// <summary>A verified contact re-registers with a new identity key: sending is refused until verified again.</summary>
public sealed class IdentityChangeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Identity_change_of_a_verified_contact_blocks_sending_until_verified_again()
    {
        using var root = new TemporaryDirectory("ident");
        await using var relay = await RelayProcess.StartAsync(root.Sub("relay"));
        var alice = await UserProfile.CreateAsync(root.Path, "alice", relay.Url);
        var bob = await UserProfile.CreateAsync(root.Path, "bob", relay.Url);
        await alice.SendAsync("bob", "hello old bob");
        Assert.Single(await bob.ReceiveAsync(1));

        var before = JsonNode.Parse((await alice.RunAsync(["--json", "show", "bob"])).Output.Single())!;
        var verified = await alice.RunAsync(["verify", "bob", "--number", before["safetyNumber"]!.GetValue<string>()]);
        Assert.True(verified.ExitCode == 0, verified.ToString());

        // bob leaves the relay and registers the same name again from a new profile: a new identity key. He writes
        // first, so alice's client meets the new key when it decrypts his PreKey message.
        Assert.Equal(0, (await bob.RunAsync(["unregister", "--yes"])).ExitCode);
        var newBob = await UserProfile.CreateAsync(root.Sub("new"), "bob", relay.Url);
        await newBob.SendAsync("alice", "it is bob, with a new profile");
        var notice = await alice.RunAsync(["receive", "--json", "--wait", "10"]);
        Assert.True(notice.ExitCode == 0, notice.ToString());
        Assert.Contains("safety number has changed", notice.ErrorText, StringComparison.Ordinal);
        output.WriteLine("alice's receive: " + notice.ErrorText.ReplaceLineEndings(" | "));

        var blocked = await alice.RunAsync(["send", "bob", "must not go out"]);
        Assert.True(blocked.ExitCode == 7, blocked.ToString());
        var error = Assert.Single(blocked.Error);
        Assert.Contains("verify", error, StringComparison.Ordinal);
        output.WriteLine($"blocked send: exit 7, \"{error}\"");

        var contacts = (await alice.RunAsync(["--json", "contacts"])).Output.Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal("changed", contacts.Single(c => c!["name"]!.GetValue<string>() == "bob")!["state"]!.GetValue<string>());
        var after = JsonNode.Parse((await alice.RunAsync(["--json", "show", "bob"])).Output.Single())!;
        Assert.NotEqual(before["safetyNumber"]!.GetValue<string>(), after["safetyNumber"]!.GetValue<string>());

        Assert.Equal(0, (await alice.RunAsync(["verify", "bob", "--number", after["safetyNumber"]!.GetValue<string>()])).ExitCode);
        await alice.SendAsync("bob", "hello new bob");
        var received = await newBob.ReceiveAsync(1);
        Assert.Equal("hello new bob", Assert.Single(received).Text);
        Assert.DoesNotContain(received, m => m.Text == "must not go out");
    }
}
