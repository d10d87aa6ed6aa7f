using System.Text.Json.Nodes;
using Parley.EndToEnd.Tests.Harness;

namespace Parley.EndToEnd.Tests;

/// <summary>`/show` in `parley chat` through a real relay: the same keys and safety number as `parley show`, never a secret.</summary>
public sealed class ChatShowTests
{
    [Fact]
    public async Task Show_in_parley_chat_prints_the_keys_and_safety_number_of_parley_show_and_no_private_key()
    {
        using var root = new TemporaryDirectory("chat-show");
        await using var relay = await RelayProcess.StartAsync(root.Sub("relay"));
        var alice = await UserProfile.CreateAsync(root.Path, "alice", relay.Url);
        var bob = await UserProfile.CreateAsync(root.Path, "bob", relay.Url);
        await alice.SendAsync("bob", "hi bob");
        Assert.Single(await bob.ReceiveAsync(1));

        var chat = await alice.RunAsync(["chat", "bob"], input: "/show\n");
        Assert.True(chat.ExitCode == 0, chat.ToString());
        var show = JsonNode.Parse((await alice.RunAsync(["--json", "show", "bob"])).Output.Single())!;
        var number = show["safetyNumber"]!.GetValue<string>();
        var lines = chat.Error.ToList();
        var first = lines.IndexOf($"Your identity key (alice): {show["identityKey"]!.GetValue<string>()}");
        Assert.True(first >= 0, chat.ToString());
        Assert.Equal($"bob's identity key: {show["peerIdentityKey"]!.GetValue<string>()}", lines[first + 1]);
        Assert.Equal($"Safety number: {string.Join(' ', number.Chunk(5).Select(c => new string(c)))}", lines[first + 2]);
        Assert.StartsWith("Not verified", lines[first + 3], StringComparison.Ordinal);
        Assert.Empty(chat.Output);

        var secret = await ProfileSecrets.IdentityPrivateKeyAsync(alice.Directory, alice.Passphrase);
        foreach (var encoding in ProfileSecrets.Encodings(secret))
        {
            Assert.DoesNotContain(encoding, chat.Transcript, StringComparison.Ordinal);
        }
    }
}
