using System.Security.Cryptography;
using System.Text;
using Parley.Interop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Interop.Tests.Scenarios;

/// <summary>Both sides compute the same safety number, and it is the one PROTOCOL.md §9 defines.</summary>
public sealed class SafetyNumberScenarioTests(ITestOutputHelper output) : IClassFixture<InteropEnvironment>
{
    [Theory]
    [MemberData(nameof(Pairings.Selected), MemberType = typeof(Pairings))]
    public async Task Safety_numbers_are_equal_on_both_sides_for_uuid_names(string pairing)
    {
        await using var chat = await Conversation.StartAsync(pairing, output);
        await CompareAsync(chat);
    }

    [Theory]
    [MemberData(nameof(Pairings.Selected), MemberType = typeof(Pairings))]
    public async Task Safety_numbers_are_equal_on_both_sides_for_plain_text_names(string pairing)
    {
        await using var chat = await Conversation.StartAsync(pairing, output, initiatorName: "alice.parley.test", responderName: "bob.parley.test");
        await CompareAsync(chat);
    }

    private static async Task CompareAsync(Conversation chat)
    {
        await chat.EstablishAndGreetAsync();
        var (a, b) = (chat.Initiator, chat.Responder);
        var first = await a.FingerprintAsync(b);
        var second = await b.FingerprintAsync(a, first.Bytes("scannable_b64"));
        var firstAgain = await a.FingerprintAsync(b, second.Bytes("scannable_b64"));

        var displayable = first.Text("displayable");
        Assert.Matches("^[0-9]{60}$", displayable);
        Assert.Equal(displayable, second.Text("displayable"));
        Assert.Equal(displayable, firstAgain.Text("displayable"));
        Assert.Equal(ExpectedDisplayable(a, b), displayable);

        // Scannable: 08 02 12 22 0a 20 <local 32> 1a 22 0a 20 <remote 32>, each side's local = the other's remote.
        var scanA = first.Bytes("scannable_b64");
        var scanB = second.Bytes("scannable_b64");
        AssertScannableShape(scanA);
        AssertScannableShape(scanB);
        Assert.Equal(scanA.AsSpan(6, 32).ToArray(), scanB.AsSpan(42, 32).ToArray());
        Assert.Equal(scanA.AsSpan(42, 32).ToArray(), scanB.AsSpan(6, 32).ToArray());
        Assert.Equal(Digest(a)[..32], scanA.AsSpan(6, 32).ToArray());
        Assert.Equal(Digest(b)[..32], scanB.AsSpan(6, 32).ToArray());

        // Where a driver compares the other's scannable bytes itself (libsignal's ScannableFingerprint.compare).
        foreach (var answer in new[] { second, firstAgain })
        {
            if (answer["scannableMatches"] is not null)
            {
                Assert.True(answer.Flag("scannableMatches"), $"scannable comparison failed: {answer.ToJsonString()}");
                chat.Note("scannable fingerprints also cross-compared by the driver");
            }
        }

        chat.Note($"safety number {displayable[..5]}… equal on both sides");
    }

    private static void AssertScannableShape(byte[] scannable)
    {
        Assert.Equal(74, scannable.Length);
        Assert.Equal(new byte[] { 0x08, 0x02, 0x12, 0x22, 0x0a, 0x20 }, scannable[..6]);
        Assert.Equal(new byte[] { 0x1a, 0x22, 0x0a, 0x20 }, scannable[38..42]);
    }

    /// <summary>The 60 digits from the identity keys and names alone (PROTOCOL.md §9), smaller half first.</summary>
    private static string ExpectedDisplayable(Peer a, Peer b)
    {
        var halves = new[] { Digits(Digest(a)), Digits(Digest(b)) };
        Array.Sort(halves, StringComparer.Ordinal);
        return halves[0] + halves[1];
    }

    private static byte[] Digest(Peer peer)
    {
        var identifier = Guid.TryParseExact(peer.Name, "D", out var uuid) ? uuid.ToByteArray(bigEndian: true) : Encoding.UTF8.GetBytes(peer.Name);
        byte[] hash = [0, 0, .. peer.IdentityKey, .. identifier];
        for (var i = 0; i < 5200; i++)
        {
            hash = SHA512.HashData([.. hash, .. peer.IdentityKey]);
        }

        return hash;
    }

    private static string Digits(byte[] hash)
    {
        var text = new StringBuilder(30);
        for (var chunk = 0; chunk < 6; chunk++)
        {
            ulong value = 0;
            for (var i = 0; i < 5; i++)
            {
                value = (value << 8) | hash[(chunk * 5) + i];
            }

            text.Append((value % 100_000).ToString("D5", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
