using Parley.Crypto.Kem;
using Parley.Crypto.Tests.Vectors.Support;
using Xunit.Abstractions;

namespace Parley.Crypto.Tests.Vectors;

/// <summary>
/// TESTPLAN A5: Kyber1024 round 3 (libsignal's KEM, type 0x08) against the reference implementation's outputs
/// (vectors/kyber1024-round3, see SOURCES.md §3).
/// </summary>
public sealed class KyberRound3VectorTests(ITestOutputHelper output)
{
    private const KemVariant Kyber = KemVariant.Kyber1024;

    /// <summary>tvecs1024: 8 lines per set (d, z, pk, sk, m₀, ct, ss of B, ss of A), every random draw printed.</summary>
    [Fact]
    public void Reference_test_vectors_keygen_encaps_decaps_match_for_all_100_sets()
    {
        var lines = VectorFiles.Lines("kyber1024-round3", "tvecs1024_first100.txt").ToArray();
        Assert.Equal(800, lines.Length);
        var tally = new VectorTally("kyber1024-round3/tvecs1024_first100.txt", output);
        for (var set = 0; set < lines.Length / 8; set++)
        {
            var l = lines.AsSpan(set * 8, 8).ToArray();
            tally.Check($"set {set}", () =>
            {
                var d = Convert.FromHexString(l[0]);
                var z = Convert.FromHexString(l[1]);
                var pk = Field(l[2], "Public Key: ");
                var sk = Field(l[3], "Secret Key: ");
                var coin = Convert.FromHexString(l[4]);
                var ct = Field(l[5], "Ciphertext: ");
                var ssB = Field(l[6], "Shared Secret B: ");
                var ssA = Field(l[7], "Shared Secret A: ");
                Assert.Equal(ssA, ssB);

                var pair = Kem1024.GenerateKeyPair(Kyber, d, z);
                Assert.Equal(pk, pair.PublicKey);
                Assert.Equal(sk, pair.SecretKey);
                var (ciphertext, sharedSecret) = Kem1024.Encapsulate(Kyber, pk, coin);
                Assert.Equal(ct, ciphertext);
                Assert.Equal(ssB, sharedSecret);
                Assert.Equal(ssA, Kem1024.Decapsulate(Kyber, sk, ct));
            });
        }

        tally.AssertComplete(100);
    }

    /// <summary>
    /// PQCkemKAT_3168.rsp: the NIST KAT. The randomness is rebuilt with the AES-256 CTR_DRBG from each seed
    /// (d, then z, then m₀ — the order the generator draws them), so KeyGen, Encaps and Decaps are all checked.
    /// </summary>
    [Fact]
    public void Nist_kat_rsp_keygen_encaps_decaps_match_for_all_100_counts()
    {
        var records = VectorFiles.KeyValueRecords("kyber1024-round3", "PQCkemKAT_3168.rsp");
        var tally = new VectorTally("kyber1024-round3/PQCkemKAT_3168.rsp", output);
        foreach (var r in records)
        {
            tally.Check("count " + r["count"], () =>
            {
                var pk = Convert.FromHexString(r["pk"]);
                var sk = Convert.FromHexString(r["sk"]);
                var ct = Convert.FromHexString(r["ct"]);
                var ss = Convert.FromHexString(r["ss"]);

                // Decaps alone first, and the secret key's layout: dk_PKE ‖ pk ‖ SHA3-256(pk) ‖ z.
                Assert.Equal(ss, Kem1024.Decapsulate(Kyber, sk, ct));
                Assert.Equal(pk, sk.AsSpan(1536, 1568).ToArray());
                Assert.Equal(System.Security.Cryptography.SHA3_256.HashData(pk), sk.AsSpan(3104, 32).ToArray());

                using var drbg = new NistCtrDrbg(Convert.FromHexString(r["seed"]));
                var d = new byte[32];
                var z = new byte[32];
                var coin = new byte[32];
                drbg.Generate(d);
                drbg.Generate(z);
                drbg.Generate(coin);
                var pair = Kem1024.GenerateKeyPair(Kyber, d, z);
                Assert.Equal(pk, pair.PublicKey);
                Assert.Equal(sk, pair.SecretKey);
                var (ciphertext, sharedSecret) = Kem1024.Encapsulate(Kyber, pk, coin);
                Assert.Equal(ct, ciphertext);
                Assert.Equal(ss, sharedSecret);
            });
        }

        tally.AssertComplete(100);
    }

    private static byte[] Field(string line, string prefix)
    {
        Assert.StartsWith(prefix, line, StringComparison.Ordinal);
        return Convert.FromHexString(line[prefix.Length..]);
    }
}
