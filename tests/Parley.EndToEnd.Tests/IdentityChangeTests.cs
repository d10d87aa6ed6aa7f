using System.Text.Json.Nodes;
using Parley.Client;
using Parley.EndToEnd.Tests.Harness;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// A contact re-registers with a new identity key: for a verified contact sending is refused until verified
/// again; for an unverified one `parley send` goes to the new key and says so.
/// </summary>
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

    [Fact]
    public async Task Send_that_meets_the_new_key_of_an_unverified_contact_says_so_on_stderr_and_in_json()
    {
        using var root = new TemporaryDirectory("ident-send");
        await using var relay = await RelayProcess.StartAsync(root.Sub("relay"));
        var alice = await UserProfile.CreateAsync(root.Path, "alice", relay.Url);
        var bob = await UserProfile.CreateAsync(root.Path, "bob", relay.Url);

        // A month ago alice wrote to bob, who read it and never answered. Her session with him still waits for his
        // first reply, and such a session is not used after 30 days: her next send fetches his keys from the relay.
        // (Her clock is turned back through the SDK's public TimeProvider option; the relay and bob run in real time.)
        var monthAgo = new ParleyClientOptions { TimeProvider = new ManualTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromDays(31)), BackgroundMaintenance = false };
        await using (var past = await ParleyClient.OpenAsync(alice.Directory, alice.Passphrase, monthAgo))
        {
            Assert.Equal(DeliveryState.Sent, (await past.SendTextAsync("bob", "hello bob, a month ago")).State);
        }

        Assert.Equal("hello bob, a month ago", Assert.Single(await bob.ReceiveAsync(1)).Text);
        var before = JsonNode.Parse((await alice.RunAsync(["--json", "show", "bob"])).Output.Single())!;

        // Meanwhile bob registered the same name again from a new profile: a new identity key.
        Assert.Equal(0, (await bob.RunAsync(["unregister", "--yes"])).ExitCode);
        var newBob = await UserProfile.CreateAsync(root.Sub("new"), "bob", relay.Url);

        var warned = await alice.RunAsync(["--json", "send", "bob", "hello again"]);
        Assert.True(warned.ExitCode == 0, warned.ToString());
        output.WriteLine("alice's send, stderr: " + warned.ErrorText.ReplaceLineEndings(" | "));
        Assert.Contains("*** bob's safety number has changed", warned.ErrorText, StringComparison.Ordinal);
        Assert.Contains("`parley verify bob`", warned.ErrorText, StringComparison.Ordinal);
        var after = JsonNode.Parse((await alice.RunAsync(["--json", "show", "bob"])).Output.Single())!;
        var newNumber = after["safetyNumber"]!.GetValue<string>();
        Assert.NotEqual(before["safetyNumber"]!.GetValue<string>(), newNumber);
        Assert.Contains(string.Join(' ', newNumber.Chunk(5).Select(c => new string(c))), warned.ErrorText, StringComparison.Ordinal);

        var json = JsonNode.Parse(Assert.Single(warned.Output))!.AsObject();
        Assert.Equal("sent", json["state"]!.GetValue<string>());
        var warning = json["identityWarning"]!.AsObject();
        Assert.Equal(["name", "safetyNumber", "wasVerified"], warning.Select(p => p.Key));
        Assert.Equal("bob", warning["name"]!.GetValue<string>());
        Assert.Equal(newNumber, warning["safetyNumber"]!.GetValue<string>());
        Assert.False(warning["wasVerified"]!.GetValue<bool>());

        // The change is announced once: the next send to the now known key is quiet.
        var quiet = await alice.RunAsync(["--json", "send", "bob", "and once more"]);
        Assert.True(quiet.ExitCode == 0, quiet.ToString());
        Assert.DoesNotContain("safety number", quiet.ErrorText, StringComparison.Ordinal);
        var quietJson = JsonNode.Parse(Assert.Single(quiet.Output))!.AsObject();
        Assert.True(quietJson.ContainsKey("identityWarning"));
        Assert.Null(quietJson["identityWarning"]);

        Assert.Equal(["hello again", "and once more"], (await newBob.ReceiveAsync(2)).Select(m => m.Text));
    }
}
