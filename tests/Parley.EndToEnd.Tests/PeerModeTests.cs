using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Parley.EndToEnd.Tests.Harness;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// The seed-1 flow with the Signal protocol: two `parley peer` processes on two ports exchange bundles over
/// HTTP, send a message each way, and each /show page carries both public identity keys and the safety number
/// but no private key.
/// </summary>
public sealed partial class PeerModeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_peers_on_two_ports_exchange_keys_and_a_message_each_way_and_show_no_secret()
    {
        using var root = new TemporaryDirectory("peer");
        var alice = new UserProfile("alice", root.Sub("alice"), "alice peer passphrase");
        var bob = new UserProfile("bob", root.Sub("bob"), "bob peer passphrase");
        var alicePort = Loopback.FreePort();
        var bobPort = Loopback.FreePort();
        var aliceUrl = new Uri($"http://127.0.0.1:{alicePort}");
        var bobUrl = new Uri($"http://127.0.0.1:{bobPort}");

        await using var aliceProcess = alice.Start("peer-alice", ["--json", "peer", "--listen", aliceUrl.ToString(), "--name", "alice"]);
        await aliceProcess.WaitForErrorAsync(l => l.StartsWith("listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "alice listening");

        // bob reaches alice through a recording forwarder, so the test sees every byte on the wire between them.
        await using var wire = new RecordingProxy(alicePort);
        await using var bobProcess = bob.Start("peer-bob", ["--json", "peer", "--listen", bobUrl.ToString(), "--connect", wire.Url.ToString(), "--name", "bob"]);
        await bobProcess.WaitForErrorAsync(l => l.StartsWith("connected to alice", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "bob connected");

        await bobProcess.WriteLineAsync("hello alice, directly ✓");
        var atAlice = JsonNode.Parse(await aliceProcess.WaitForOutputAsync(l => l.Contains("directly", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "bob's message at alice"))!;
        Assert.Equal("bob", atAlice["from"]!.GetValue<string>());
        Assert.Equal("hello alice, directly ✓", atAlice["text"]!.GetValue<string>());

        await aliceProcess.WriteLineAsync("hello bob, no relay 🔐");
        var atBob = JsonNode.Parse(await bobProcess.WaitForOutputAsync(l => l.Contains("no relay", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "alice's message at bob"))!;
        Assert.Equal("alice", atBob["from"]!.GetValue<string>());
        Assert.Equal("hello bob, no relay 🔐", atBob["text"]!.GetValue<string>());

        using var http = new HttpClient();
        var alicePage = await http.GetStringAsync(new Uri(aliceUrl, "/show"));
        var bobPage = await http.GetStringAsync(new Uri(bobUrl, "/show"));
        var aliceKeys = (Own: Code(alicePage, "own-identity-key"), Peer: Code(alicePage, "peer-identity-key"), Number: Code(alicePage, "safety-number"));
        var bobKeys = (Own: Code(bobPage, "own-identity-key"), Peer: Code(bobPage, "peer-identity-key"), Number: Code(bobPage, "safety-number"));
        output.WriteLine($"alice /show: own {aliceKeys.Own}, peer {aliceKeys.Peer}, safety number {aliceKeys.Number}");
        output.WriteLine($"bob   /show: own {bobKeys.Own}, peer {bobKeys.Peer}, safety number {bobKeys.Number}");
        Assert.Matches(IdentityKeyPattern(), aliceKeys.Own);
        Assert.Matches(IdentityKeyPattern(), bobKeys.Own);
        Assert.Equal(aliceKeys.Own, bobKeys.Peer);
        Assert.Equal(bobKeys.Own, aliceKeys.Peer);
        Assert.Matches(SafetyNumberPattern(), aliceKeys.Number);
        Assert.Equal(aliceKeys.Number, bobKeys.Number);

        // End the peers (end of input), then read their private keys from the profiles and look for them.
        aliceProcess.CloseInput();
        bobProcess.CloseInput();
        Assert.Equal(0, await bobProcess.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(0, await aliceProcess.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        // On the wire: bundles, hello, Signal messages (type 3 then 2) and polls, but never the texts.
        var onTheWire = Encoding.UTF8.GetString(wire.Recorded);
        Assert.Contains("POST /message", onTheWire, StringComparison.Ordinal);
        Assert.Contains("GET /inbox", onTheWire, StringComparison.Ordinal);
        Assert.Contains("\"type\":3", onTheWire, StringComparison.Ordinal);
        foreach (var text in new[] { "hello alice, directly", "hello bob, no relay", "directly", "no relay" })
        {
            Assert.DoesNotContain(text, onTheWire, StringComparison.Ordinal);
        }

        output.WriteLine($"wire between the peers: {wire.Recorded.Length} bytes recorded; plaintext matches: 0");
        var everything = new StringBuilder()
            .AppendLine(onTheWire)
            .AppendLine(alicePage).AppendLine(bobPage)
            .AppendLine(aliceProcess.Transcript).AppendLine(bobProcess.Transcript).ToString();
        foreach (var (who, profile) in new[] { ("alice", alice), ("bob", bob) })
        {
            var secret = await ProfileSecrets.IdentityPrivateKeyAsync(profile.Directory, profile.Passphrase);
            Assert.Equal(32, secret.Length);
            foreach (var encoding in ProfileSecrets.Encodings(secret))
            {
                Assert.DoesNotContain(encoding, everything, StringComparison.Ordinal);
            }

            Assert.DoesNotContain(Encoding.Latin1.GetString(secret), everything, StringComparison.Ordinal);
            output.WriteLine($"{who}: private identity key (4 encodings) found 0 times in both pages and both processes' output");
        }
    }

    [Fact]
    public async Task A_peer_that_comes_back_with_a_new_identity_key_is_announced_on_both_the_listening_and_the_connecting_side()
    {
        using var root = new TemporaryDirectory("peer-ident");
        var alice = new UserProfile("alice", root.Sub("alice"), "alice peer passphrase");
        var bob = new UserProfile("bob", root.Sub("bob"), "bob peer passphrase");
        var newBob = new UserProfile("bob", root.Sub("new-bob"), "new bob peer passphrase");
        var newAlice = new UserProfile("alice", root.Sub("new-alice"), "new alice peer passphrase");
        var aliceUrl = new Uri($"http://127.0.0.1:{Loopback.FreePort()}");

        await using (var aliceProcess = alice.Start("peer-alice", ["--json", "peer", "--listen", aliceUrl.ToString(), "--name", "alice"]))
        {
            await aliceProcess.WaitForErrorAsync(l => l.StartsWith("listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "alice listening");
            await ChatOnceAsync(bob, aliceProcess, aliceUrl, "first bob");
            Assert.DoesNotContain(aliceProcess.StandardError, l => l.Contains("safety number", StringComparison.Ordinal));

            // Listening side: "bob" connects again, from a new profile with a new identity key (alice has not verified him).
            await ChatOnceAsync(newBob, aliceProcess, aliceUrl, "new bob");
            var notice = await aliceProcess.WaitForErrorAsync(l => l.StartsWith("*** bob's safety number has changed", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the identity notice at alice");
            output.WriteLine("alice (listening): " + notice);
            Assert.Contains("/verify", notice, StringComparison.Ordinal);
            aliceProcess.CloseInput();
            Assert.Equal(0, await aliceProcess.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }

        // Connecting side: the old bob connects to "alice", who now listens from a new profile with a new key.
        await using (var newAliceProcess = newAlice.Start("peer-new-alice", ["--json", "peer", "--listen", aliceUrl.ToString(), "--name", "alice"]))
        {
            await newAliceProcess.WaitForErrorAsync(l => l.StartsWith("listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "new alice listening");
            await using var bobProcess = bob.Start("peer-bob-again", ["--json", "peer", "--connect", aliceUrl.ToString()]);
            var notice = await bobProcess.WaitForErrorAsync(l => l.StartsWith("*** alice's safety number has changed", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the identity notice at bob");
            output.WriteLine("bob (connecting): " + notice);
            await bobProcess.WriteLineAsync("hello new alice");
            await newAliceProcess.WaitForOutputAsync(l => l.Contains("hello new alice", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "bob's message at new alice");
            bobProcess.CloseInput();
            Assert.Equal(0, await bobProcess.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            newAliceProcess.CloseInput();
            Assert.Equal(0, await newAliceProcess.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }
    }

    /// <summary><paramref name="peer"/> connects to the listener, says one line that the listener receives, and leaves.</summary>
    private static async Task ChatOnceAsync(UserProfile peer, CliProcess listener, Uri listenerUrl, string who)
    {
        await using var process = peer.Start("peer-" + who.Replace(' ', '-'), ["--json", "peer", "--connect", listenerUrl.ToString(), "--name", peer.Name]);
        await process.WaitForErrorAsync(l => l.StartsWith("connected to alice", StringComparison.Ordinal), TimeSpan.FromSeconds(60), who + " connected");
        var text = "hello from " + who;
        await process.WriteLineAsync(text);
        await listener.WaitForOutputAsync(l => l.Contains(text, StringComparison.Ordinal), TimeSpan.FromSeconds(30), who + "'s message at alice");
        process.CloseInput();
        Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    private static string Code(string page, string id)
    {
        var match = Regex.Match(page, $"<[a-z]+ id=\"{id}\">([^<]*)</", RegexOptions.CultureInvariant);
        Assert.True(match.Success, $"no {id} on the page:\n{page}");
        return match.Groups[1].Value;
    }

    [GeneratedRegex("^05[0-9a-f]{64}$")]
    private static partial Regex IdentityKeyPattern();

    [GeneratedRegex("^([0-9]{5} ){11}[0-9]{5}$")]
    private static partial Regex SafetyNumberPattern();
}
