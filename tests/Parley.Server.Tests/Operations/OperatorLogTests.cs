using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Parley.Contracts.Keys;
using Parley.Server.Operations;

namespace Parley.Server.Tests.Operations;

/// <summary>
/// The operator console shows routing metadata and a ciphertext fingerprint only. What these tests can prove:
/// the relay never sees plaintext (clients encrypt), so the meaningful checks are that it never writes an
/// envelope's body, a credential or key bytes to its log, and that an acknowledged body does not linger on
/// disk. To make that checkable, each envelope body here embeds a distinctive ASCII marker (as a careless
/// client sending plaintext would) surrounded by random bytes; the scans look for the marker, the whole
/// body (raw, base64, hex), the credentials (raw, base64, in the Basic header) and the public keys.
/// </summary>
public sealed partial class OperatorLogTests
{
    private const string Marker = "PARLEY-PLAINTEXT-MARKER-7f3a91";

    [Fact]
    public async Task The_log_has_one_line_per_relayed_envelope_with_metadata_and_a_short_hash()
    {
        await using var relay = await TestRelay.StartAsync();
        var alice = await relay.RegisterAsync("alice");
        var bob = await relay.RegisterAsync("bob");
        var body = Body();

        await alice.SendAsync("bob", body);
        await using (var stream = await bob.ConnectAsync())
        {
            Assert.Single(await stream.ReceiveUntilDrainedAsync());
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(body))[..16];
        var stored = Assert.Single(relay.Log.Lines, l => l.Contains(" stored ", StringComparison.Ordinal));
        Assert.Matches(StoredLine(), stored);
        Assert.Contains($"alice.1 -> bob.1 type=2 size={body.Length} sha256={hash}", stored, StringComparison.Ordinal);
        var delivered = Assert.Single(relay.Log.Lines, l => l.Contains(" delivered ", StringComparison.Ordinal));
        Assert.Contains($"alice.1 -> bob.1 type=2 size={body.Length} sha256={hash} via=stream", delivered, StringComparison.Ordinal);
        Assert.DoesNotContain("ciphertext=", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Neither_the_log_nor_the_database_files_hold_bodies_credentials_or_keys()
    {
        await using var relay = await TestRelay.StartAsync();
        var alice = await relay.RegisterAsync("alice", oneTimePreKeys: 3, oneTimeKyberPreKeys: 3);
        var bob = await relay.RegisterAsync("bob", oneTimePreKeys: 3, oneTimeKyberPreKeys: 3);
        var bodies = Enumerable.Range(0, 20).Select(_ => Body()).ToList();
        var ids = new List<Guid>();
        foreach (var body in bodies)
        {
            ids.Add(await alice.SendAsync("bob", body));
        }

        await alice.Http.GetFromJsonAsync(ApiPaths.Bundle("bob"), ParleyJsonContext.Default.PreKeyBundleResponse);
        Assert.Equal(20, (await bob.FetchAsync()).Envelopes.Count);
        await bob.AcknowledgeAsync([.. ids]);

        var logNeedles = Needles(alice, bob, bodies, includeKeys: true);
        var log = relay.Log.Text;
        Assert.NotEmpty(relay.Log.Lines);
        foreach (var (what, needle) in logNeedles)
        {
            Assert.False(log.Contains(needle, StringComparison.Ordinal), $"the log contains {what}");
        }

        // On disk: credentials never (only their SHA-256 is stored); acknowledged bodies not after a checkpoint
        // (secure_delete overwrites freed pages). Public keys are stored by design, so they are not searched here.
        await relay.Server.DisposeAsync();
        var diskNeedles = Needles(alice, bob, bodies, includeKeys: false);
        var files = Directory.GetFiles(relay.DataDirectory);
        Assert.Contains(files, f => f.EndsWith("relay.db", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            foreach (var (what, needle) in diskNeedles)
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) < 0, $"{Path.GetFileName(file)} contains {what}");
            }

            foreach (var password in new[] { alice.Password, bob.Password })
            {
                Assert.True(bytes.AsSpan().IndexOf(password) < 0, $"{Path.GetFileName(file)} contains a raw credential");
            }

            foreach (var body in bodies)
            {
                Assert.True(bytes.AsSpan().IndexOf(body.AsSpan(40, 64)) < 0, $"{Path.GetFileName(file)} still holds an acknowledged body");
            }
        }
    }

    [Fact]
    public async Task Show_ciphertext_adds_only_a_short_base64_prefix()
    {
        await using var relay = await TestRelay.StartAsync(showCiphertext: true);
        var alice = await relay.RegisterAsync("alice");
        var bob = await relay.RegisterAsync("bob");
        var body = Body();
        await alice.SendAsync("bob", body);
        await bob.FetchAsync();

        var prefix = Convert.ToBase64String(body, 0, OperatorLog.CiphertextPrefixBytes);
        var stored = Assert.Single(relay.Log.Lines, l => l.Contains(" stored ", StringComparison.Ordinal));
        Assert.Contains($"ciphertext={prefix}…", stored, StringComparison.Ordinal);
        var delivered = Assert.Single(relay.Log.Lines, l => l.Contains(" delivered ", StringComparison.Ordinal));
        Assert.Contains($"via=http ciphertext={prefix}…", delivered, StringComparison.Ordinal);
        foreach (var (what, needle) in Needles(alice, bob, [body], includeKeys: true))
        {
            Assert.False(relay.Log.Text.Contains(needle, StringComparison.Ordinal), $"the log contains {what}");
        }
    }

    /// <summary>Random bytes with the marker at offset 40, past any prefix the log may show.</summary>
    private static byte[] Body()
    {
        var body = RandomNumberGenerator.GetBytes(300);
        Encoding.ASCII.GetBytes(Marker).CopyTo(body, 40);
        return body;
    }

    private static List<(string What, string Needle)> Needles(TestDevice alice, TestDevice bob, IReadOnlyList<byte[]> bodies, bool includeKeys)
    {
        var needles = new List<(string, string)> { ("the plaintext marker", Marker) };
        foreach (var device in new[] { alice, bob })
        {
            needles.Add(("a credential (base64)", Convert.ToBase64String(device.Password)));
            needles.Add(("a credential (hex)", Convert.ToHexString(device.Password)));
            needles.Add(("a credential (hex, lower)", Convert.ToHexStringLower(device.Password)));
            needles.Add(("an Authorization header", device.Authorization["Basic ".Length..]));
            needles.Add(("a credential hash", Convert.ToHexStringLower(SHA256.HashData(device.Password))));
            if (includeKeys)
            {
                needles.Add(("an identity key", Convert.ToBase64String(device.Keys.IdentityKey)));
                needles.Add(("an identity key (hex)", Convert.ToHexString(device.Keys.IdentityKey)));
                needles.Add(("a signed prekey", Convert.ToBase64String(device.Keys.SignedPreKey.PublicKey)));
                needles.Add(("a Kyber key prefix", Convert.ToBase64String(device.Keys.LastResortKyberPreKey.PublicKey, 0, 48)));
                needles.AddRange((device.Keys.OneTimePreKeys ?? []).Select(k => ("a one-time prekey", Convert.ToBase64String(k.PublicKey))));
            }
        }

        foreach (var body in bodies)
        {
            needles.Add(("a whole body (base64)", Convert.ToBase64String(body)));
            needles.Add(("a body past the prefix (base64)", Convert.ToBase64String(body, 30, 60)));
            needles.Add(("a body (hex)", Convert.ToHexString(body, 40, 32)));
        }

        return needles;
    }

    [GeneratedRegex(@"^Information Parley\.Relay\[100\] \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z stored    \S+\.\d+ -> \S+\.\d+ type=\d+ size=\d+ sha256=[0-9a-f]{16}$")]
    private static partial Regex StoredLine();
}
