using Parley.EndToEnd.Tests.Harness;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// The seed-2 flow: a relay and two clients as separate processes in separate network namespaces joined by
/// veth links, so each client reaches the relay by a real 10.x address as on another machine. The relay's log
/// (with --show-ciphertext) shows routing metadata and ciphertext only. Reported skipped, with the reason, where
/// namespaces are not permitted (not root, no kernel support, no iproute2).
/// </summary>
public sealed class SeparateMachinesTests(ITestOutputHelper output)
{
    [EnvironmentFact(typeof(NetworkNamespaceRequirement))]
    public async Task Relay_and_two_clients_in_separate_network_namespaces_chat_and_the_relay_sees_only_ciphertext()
    {
        var (lab, reason) = await NetworkLab.TryCreateAsync();
        Assert.True(lab is not null, $"network namespaces work here, yet the lab could not be built: {reason}");

        await using (lab)
        {
            using var root = new TemporaryDirectory("netns");
            var port = 8080;
            output.WriteLine($"namespaces {lab.RelayNamespace} (relay: {lab.RelayAddressForA}, {lab.RelayAddressForB}), {lab.ClientANamespace} (10.{lab.Subnet}.1.2), {lab.ClientBNamespace} (10.{lab.Subnet}.2.2)");
            await using var relay = await RelayProcess.StartAsync(
                root.Sub("relay"), new Uri($"http://{lab.RelayAddressForA}:{port}"), $"http://0.0.0.0:{port}", NetworkLab.In(lab.RelayNamespace), showCiphertext: true);

            var alice = await UserProfile.CreateAsync(root.Path, "alice", new Uri($"http://{lab.RelayAddressForA}:{port}"), NetworkLab.In(lab.ClientANamespace));
            var bob = await UserProfile.CreateAsync(root.Path, "bob", new Uri($"http://{lab.RelayAddressForB}:{port}"), NetworkLab.In(lab.ClientBNamespace));

            // From inside a client namespace the relay is reachable only over the link (no loopback shortcut).
            var loopback = await alice.RunAsync(["init", "--server", $"http://127.0.0.1:{port}", "--name", "mallory"], extraEnvironment: new Dictionary<string, string?> { ["PARLEY_HOME"] = root.Sub("mallory") });
            Assert.True(loopback.ExitCode == 5, loopback.ToString());

            string[] markers = ["PLAINTEXT-MARKER-alice-to-bob-Zq9", "PLAINTEXT-MARKER-bob-to-alice-Xw4"];
            await alice.SendAsync("bob", markers[0] + " ✓");
            Assert.Equal(markers[0] + " ✓", Assert.Single(await bob.ReceiveAsync(1)).Text);
            await bob.SendAsync("alice", markers[1]);
            Assert.Equal(markers[1], Assert.Single(await alice.ReceiveAsync(1)).Text);

            var log = relay.AllLogLines;
            var envelopeLines = log.Where(l => l.Contains(" stored ", StringComparison.Ordinal) || l.Contains(" delivered ", StringComparison.Ordinal)).ToList();
            foreach (var line in envelopeLines)
            {
                output.WriteLine("relay: " + line);
            }

            Assert.True(envelopeLines.Count >= 4, "expected stored and delivered lines for both messages:\n" + string.Join('\n', log));
            Assert.All(envelopeLines, l => Assert.Matches("size=[0-9]+ sha256=[0-9a-f]{16}.* ciphertext=[A-Za-z0-9+/=]+", l));
            var plaintextHits = log.Count(l => markers.Any(m => l.Contains(m, StringComparison.Ordinal) || l.Contains(m[..16], StringComparison.Ordinal)));
            output.WriteLine($"relay log: {log.Count} lines, {envelopeLines.Count} envelope lines, plaintext marker matches: {plaintextHits}");
            Assert.Equal(0, plaintextHits);
        }
    }
}
