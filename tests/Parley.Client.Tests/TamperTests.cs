using System.Security.Cryptography;
using Parley.Client.Tests.Support;
using Xunit.Abstractions;

namespace Parley.Client.Tests;

/// <summary>TESTPLAN F2: any change to the stored state fails closed; nothing is loaded partially.</summary>
public sealed class TamperTests(ITestOutputHelper output)
{
    private static readonly int FileFlips = Environment.GetEnvironmentVariable("PARLEY_LONG_TESTS") is "1" ? 5000 : 600;

    [Fact]
    public async Task Flipping_one_byte_of_any_sealed_cell_fails_closed_1000_times_out_of_1000()
    {
        var directory = await ProfileWithStateAsync();
        var cells = RawDatabase.Cells(directory);
        var tampered = 0;
        for (var i = 0; i < 1000; i++)
        {
            var (table, rowId, length) = cells[RandomNumberGenerator.GetInt32(cells.Count)];
            var original = RawDatabase.Cell(directory, table, rowId);
            var changed = (byte[])original.Clone();
            changed[RandomNumberGenerator.GetInt32(length)] ^= (byte)RandomNumberGenerator.GetInt32(1, 256);
            RawDatabase.SetCell(directory, table, rowId, changed);
            var error = await Assert.ThrowsAsync<ParleyException>(() => TestProfiles.OpenAsync(directory));
            Assert.Equal(ParleyErrorCode.StoreTampered, error.Code);
            tampered++;
            RawDatabase.SetCell(directory, table, rowId, original);
        }

        await using var intact = await TestProfiles.OpenAsync(directory);
        output.WriteLine($"{tampered}/1000 single-byte cell flips failed closed over {cells.Count} cells in {cells.Select(c => c.Table).Distinct().Count()} tables");
    }

    [Fact]
    public async Task A_random_byte_flip_anywhere_in_the_file_fails_cleanly_or_loads_exactly_the_original_state()
    {
        var directory = await ProfileWithStateAsync();
        string expected;
        await using (var client = await TestProfiles.OpenAsync(directory))
        {
            expected = await StoreDump.AllAsync(client.Context);
        }

        var file = File.ReadAllBytes(Path.Combine(directory, "profile.db"));
        var marker = File.ReadAllBytes(Path.Combine(directory, "parley-profile"));
        var outcomes = new Dictionary<string, int>();
        var copy = TestFiles.NewDirectory("flip");
        Directory.CreateDirectory(copy);
        File.WriteAllBytes(Path.Combine(copy, "parley-profile"), marker);
        for (var i = 0; i < FileFlips; i++)
        {
            var changed = (byte[])file.Clone();
            var offset = RandomNumberGenerator.GetInt32(changed.Length);
            changed[offset] ^= (byte)RandomNumberGenerator.GetInt32(1, 256);
            foreach (var stale in Directory.GetFiles(copy, "profile.db*"))
            {
                File.Delete(stale);
            }

            File.WriteAllBytes(Path.Combine(copy, "profile.db"), changed);
            string outcome;
            try
            {
                await using var client = await TestProfiles.OpenAsync(copy);
                Assert.Equal(expected, await StoreDump.AllAsync(client.Context));
                outcome = "loaded the original state";
            }
            catch (ParleyException e) when (e.Code is ParleyErrorCode.StoreTampered or ParleyErrorCode.WrongPassphrase or ParleyErrorCode.UnsupportedProfileVersion)
            {
                outcome = "failed with " + e.CodeName;
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        output.WriteLine($"{FileFlips} random byte flips in a {file.Length}-byte database: " +
            string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Value} {o.Key}")));
        Assert.Equal(FileFlips, outcomes.Values.Sum());
    }

    /// <summary>A closed peer-only profile with contacts, sessions, history and prekeys.</summary>
    private static async Task<string> ProfileWithStateAsync()
    {
        var directory = TestFiles.NewDirectory("alice");
        await using var alice = await TestProfiles.CreateAsync("alice", null, directory);
        await using var bob = await TestProfiles.CreateAsync("bob", null);
        await alice.AcceptPeerBundleAsync("bob", await bob.CreatePeerBundleAsync());
        for (var i = 0; i < 10; i++)
        {
            var ciphertext = await alice.EncryptForPeerAsync("bob", $"secret {i}");
            await bob.DecryptFromPeerAsync("alice", ciphertext.Type, ciphertext.Body);
            var reply = await bob.EncryptForPeerAsync("alice", $"reply {i}");
            await alice.DecryptFromPeerAsync("bob", reply.Type, reply.Body);
        }

        for (var i = 0; i < 10; i++)
        {
            await alice.CreatePeerBundleAsync();
        }

        return directory;
    }
}
