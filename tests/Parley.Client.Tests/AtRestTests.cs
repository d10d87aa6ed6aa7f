using System.Text;
using Parley.Client.Storage;
using Parley.Client.Tests.Support;
using Parley.Protocol.Records;
using Xunit.Abstractions;

namespace Parley.Client.Tests;

/// <summary>TESTPLAN F1: nothing secret or private is readable in the profile's files.</summary>
public sealed class AtRestTests(ITestOutputHelper output)
{
    private const string Marker = "PXMARK-";

    [Fact]
    public async Task After_1000_messages_no_private_key_chain_key_or_plaintext_appears_in_the_db_wal_shm_or_temp_files()
    {
        var tempBefore = SqliteTempFiles();
        await using var relay = await TestRelay.StartAsync();
        var aliceDir = TestFiles.NewDirectory("alice");
        var bobDir = TestFiles.NewDirectory("bob");
        var alice = await TestProfiles.CreateAsync("alice", relay.Url, aliceDir);
        var bob = await TestProfiles.CreateAsync("bob", relay.Url, bobDir);
        var sent = 0;
        for (var round = 0; round < 10; round++)
        {
            var (from, to) = round % 2 == 0 ? (alice, bob) : (bob, alice);
            for (var i = 0; i < 100; i++)
            {
                await from.SendTextAsync(to.Username, $"{Marker}{sent++:D4}-{Guid.NewGuid():N} ünïcödé");
            }

            Assert.Equal(100, (await Conversation.ReceiveAsync(to, 100)).Count);
        }

        Assert.Equal(1000, sent);
        var secrets = new List<(string What, byte[] Bytes)>();
        secrets.AddRange(await SecretsAsync(alice));
        secrets.AddRange(await SecretsAsync(bob));
        secrets.Add(("plaintext marker", Encoding.UTF8.GetBytes(Marker)));
        secrets.Add(("plaintext marker (UTF-16)", Encoding.Unicode.GetBytes(Marker)));
        secrets.Add(("passphrase", Encoding.UTF8.GetBytes(TestProfiles.Passphrase)));

        // While open (the WAL holds recent pages) and after closing (checkpointed).
        var openHits = Scan([aliceDir, bobDir], secrets);
        var openFiles = string.Join(", ", Directory.GetFiles(aliceDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("profile.db-wal", openFiles, StringComparison.Ordinal);
        await alice.DisposeAsync();
        await bob.DisposeAsync();
        var closedHits = Scan([aliceDir, bobDir], secrets);
        var newTempFiles = SqliteTempFiles().Except(tempBefore).ToList();

        output.WriteLine($"secrets searched: {secrets.Count} (" +
            string.Join(", ", secrets.GroupBy(s => s.What).Select(g => $"{g.Count()} {g.Key}")) + $"); files while open: {openFiles}");
        output.WriteLine($"matches while open: {openHits.Count}, after close: {closedHits.Count}, new SQLite temp files: {newTempFiles.Count}");
        Assert.Empty(openHits);
        Assert.Empty(closedHits);
        Assert.Empty(newTempFiles);
        Assert.True(secrets.Count(s => s.What == "session record key") >= 8, "too few session secrets collected");

        // Control: the scan does find a secret that is on disk.
        var control = Path.Combine(aliceDir, "control.bin");
        await File.WriteAllBytesAsync(control, [1, 2, 3, .. secrets[0].Bytes, 4, 5]);
        Assert.Single(Scan([aliceDir], [secrets[0]]));
        File.Delete(control);
    }

    private static async Task<List<(string What, byte[] Bytes)>> SecretsAsync(ParleyClient client)
    {
        var context = client.Context;
        var secrets = new List<(string, byte[])>
        {
            ("identity private key", context.Identity.PrivateKey.Serialize()),
            ("device password", context.Account.Password!),
        };
        await context.Database.ReadAsync(tx =>
        {
            foreach (var row in tx.Query(StoreSchema.PreKeys, null))
            {
                secrets.Add(("one-time prekey", PreKeyRecord.Deserialize(row.Plaintext).KeyPair.PrivateKey.Serialize()));
            }

            foreach (var row in tx.Query(StoreSchema.SignedPreKeys, null))
            {
                var entry = StoreTransactionJson.Parse(row.Plaintext, StoreJson.Default.SignedPreKeyEntry);
                secrets.Add(("signed prekey", SignedPreKeyRecord.Deserialize(entry.Record).KeyPair.PrivateKey.Serialize()));
            }

            foreach (var row in tx.Query(StoreSchema.KyberPreKeys, null))
            {
                var entry = StoreTransactionJson.Parse(row.Plaintext, StoreJson.Default.KyberPreKeyEntry);
                var secret = KyberPreKeyRecord.Deserialize(entry.Record).KeyPair.SecretKey.Serialize();
                secrets.Add(("kyber secret key", secret[100..148]));
            }

            foreach (var row in tx.Query(StoreSchema.Sessions, null))
            {
                secrets.AddRange(ProtoScan.Fields32(row.Plaintext).Select(field => ("session record key", field)));
                secrets.Add(("session record", row.Plaintext[..Math.Min(64, row.Plaintext.Length)]));
            }

            return ValueTask.FromResult(true);
        }, CancellationToken.None);
        return secrets;
    }

    private static List<string> Scan(IEnumerable<string> directories, List<(string What, byte[] Bytes)> secrets)
    {
        var hits = new List<string>();
        foreach (var file in directories.SelectMany(Directory.GetFiles))
        {
            var bytes = File.ReadAllBytes(file);
            foreach (var (what, secret) in secrets)
            {
                if (bytes.AsSpan().IndexOf(secret) >= 0)
                {
                    hits.Add($"{what} in {Path.GetFileName(file)}");
                }
            }
        }

        return hits;
    }

    /// <summary>SQLite names its temp files etilqs_* (in SQLITE_TMPDIR, TMPDIR, /var/tmp, /usr/tmp or /tmp).</summary>
    private static HashSet<string> SqliteTempFiles()
    {
        var folders = new[] { Environment.GetEnvironmentVariable("SQLITE_TMPDIR"), Path.GetTempPath(), "/var/tmp", "/usr/tmp", "/tmp" };
        return [.. folders.Where(f => !string.IsNullOrEmpty(f) && Directory.Exists(f)).SelectMany(f => Directory.GetFiles(f!, "etilqs_*"))];
    }
}
