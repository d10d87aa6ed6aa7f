using System.Text;
using Parley.Crypto.Symmetric;
using Parley.Crypto.Tests.Vectors.Support;
using Xunit.Abstractions;

namespace Parley.Crypto.Tests.Vectors;

/// <summary>
/// TESTPLAN A4: the symmetric entries of vectors/libsignal/static-vectors.json (the X25519 and XEdDSA entries are in
/// Curve25519/LibsignalStaticVectorTests; fingerprints belong to the protocol layer; the file's HKDF cases are the
/// RFC 5869 ones, run from rfc/rfc5869_hkdf_sha256.json).
/// </summary>
public sealed class LibsignalSymmetricVectorTests(ITestOutputHelper output)
{
    [Fact]
    public void Chain_key_derives_libsignals_message_keys_and_next_chain_key()
    {
        var v = VectorFiles.Json("libsignal", "static-vectors.json").GetProperty("chain_key");
        var tally = new VectorTally("libsignal/static-vectors.json chain_key", output);
        tally.Check("chain_key", () =>
        {
            var chainKey = v.Hex("chain_key");
            // Message keys: HKDF(IKM = HMAC(CK, 0x01), no salt, "WhisperMessageKeys", 80) = cipher 0–31 ‖ MAC 32–63 ‖ IV 64–79.
            var seed = Kdf.HmacSha256(chainKey, [0x01]);
            var keys = Kdf.HkdfSha256(seed, [], Encoding.ASCII.GetBytes("WhisperMessageKeys"), 80);
            Assert.Equal(v.Hex("message_cipher_key"), keys[..32]);
            Assert.Equal(v.Hex("message_mac_key"), keys[32..64]);
            Assert.Equal(16, keys[64..].Length);
            // Next chain key: HMAC(CK, 0x02).
            Assert.Equal(v.Hex("next_chain_key"), Kdf.HmacSha256(chainKey, [0x02]));
        });
        tally.AssertComplete(1);
    }

    [Fact]
    public void Aes_256_cbc_and_ctr_match_libsignal()
    {
        var vectors = VectorFiles.Json("libsignal", "static-vectors.json");
        var tally = new VectorTally("libsignal/static-vectors.json AES", output);
        var cbc = vectors.GetProperty("aes_256_cbc_pkcs7");
        tally.Check("aes_256_cbc_pkcs7", () =>
        {
            Assert.Equal(cbc.Hex("ciphertext"), AesCbc.Encrypt(cbc.Hex("key"), cbc.Hex("iv"), cbc.Hex("plaintext")));
            Assert.Equal(cbc.Hex("plaintext"), AesCbc.TryDecrypt(cbc.Hex("key"), cbc.Hex("iv"), cbc.Hex("ciphertext")));
        });
        var ctr = vectors.GetProperty("aes_256_ctr_zero_nonce");
        tally.Check("aes_256_ctr_zero_nonce", () =>
        {
            Assert.Equal(ctr.Hex("ciphertext"), AesCtr.Transform(ctr.Hex("key"), new byte[16], ctr.Hex("plaintext")));
            Assert.Equal(ctr.Hex("plaintext"), AesCtr.Transform(ctr.Hex("key"), new byte[16], ctr.Hex("ciphertext")));
        });
        tally.AssertComplete(2);
    }

    /// <summary>
    /// The file also names libsignal's raw Kyber1024 key files (TESTPLAN A5: pk.dat 1568 bytes, sk.dat 3168 bytes,
    /// type byte 0x08 prepended) by their first bytes, without shipping them. They are checked when present next
    /// to the file, and otherwise counted and printed as skipped with the reason.
    /// </summary>
    [Fact]
    public void Kyber_key_files_named_by_the_file_are_checked_when_present_and_otherwise_counted_as_skipped()
    {
        var entry = VectorFiles.Json("libsignal", "static-vectors.json").GetProperty("kyber1024_keypair_files");
        var tally = new VectorTally("libsignal/static-vectors.json kyber1024_keypair_files", output);
        foreach (var (file, length, firstBytes) in new[] { ("pk.dat", 1568, "pk_dat_first_bytes"), ("sk.dat", 3168, "sk_dat_first_bytes") })
        {
            var path = Path.Combine(Parley.Testing.RepositoryPaths.VectorsRoot, "libsignal", file);
            if (!File.Exists(path))
            {
                tally.Skip($"{file} is not shipped in vectors/libsignal ({entry.GetProperty("_from").GetString()?.Split(';')[0]})");
                continue;
            }

            tally.Check(file, () =>
            {
                var bytes = File.ReadAllBytes(path);
                Assert.Equal(length, bytes.Length);
                Assert.StartsWith(entry.GetProperty(firstBytes).GetString()!, Convert.ToHexStringLower(bytes), StringComparison.Ordinal);
            });
        }

        tally.AssertComplete(2);
    }
}
