using System.Security.Cryptography;
using System.Text.Json;
using Parley.Crypto.Tests.Vectors.Support;
using Xunit.Abstractions;

namespace Parley.Crypto.Tests.Vectors;

/// <summary>
/// TESTPLAN A4: AES-GCM (Wycheproof 316) and ChaCha20-Poly1305 (Wycheproof 325) through .NET's AesGcm and
/// ChaCha20Poly1305 — the AEADs a Parley component would use (the Signal protocol itself uses CBC + HMAC).
/// </summary>
public sealed class AeadVectorTests(ITestOutputHelper output)
{
    private const int TagSize = 16;

    [Fact]
    public void Wycheproof_aes_gcm_96_bit_nonce_cases_pass_and_zero_length_nonces_are_rejected()
    {
        Assert.True(AesGcm.IsSupported);
        var vectors = VectorFiles.Json("wycheproof", "aes_gcm_test.json");
        var tally = new VectorTally("wycheproof/aes_gcm_test.json", output);
        foreach (var (group, test) in vectors.Cases())
        {
            var ivBits = group.Int("ivSize");
            if (ivBits == 0)
            {
                // GCM with an empty IV is invalid; the platform must refuse it in both directions.
                tally.Check($"{test.CaseId()} 0-bit IV", () =>
                {
                    Assert.Equal("invalid", test.Text("result"));
                    using var gcm = new AesGcm(test.Hex("key"), TagSize);
                    Assert.ThrowsAny<ArgumentException>(() => gcm.Encrypt(Array.Empty<byte>(), test.Hex("msg"), new byte[test.Hex("msg").Length], new byte[TagSize], test.Hex("aad")));
                    Assert.ThrowsAny<ArgumentException>(() => gcm.Decrypt(Array.Empty<byte>(), test.Hex("ct"), test.Hex("tag"), new byte[test.Hex("ct").Length], test.Hex("aad")));
                });
                continue;
            }

            if (ivBits != 96)
            {
                tally.Skip($"AES-GCM with a {ivBits}-bit IV: .NET AesGcm accepts only 96-bit nonces (not run, not counted as passed)");
                continue;
            }

            tally.Check(test.CaseId(), () => CheckAead(new AesGcm(test.Hex("key"), TagSize), test));
        }

        tally.AssertComplete(vectors.Int("numberOfTests"));
    }

    [Fact]
    public void Wycheproof_chacha20_poly1305_cases_pass_and_wrong_nonce_sizes_are_rejected()
    {
        var vectors = VectorFiles.Json("wycheproof", "chacha20_poly1305_test.json");
        var tally = new VectorTally("wycheproof/chacha20_poly1305_test.json", output);
        foreach (var (group, test) in vectors.Cases())
        {
            if (!ChaCha20Poly1305.IsSupported)
            {
                tally.Skip("ChaCha20Poly1305.IsSupported is false on this platform");
                continue;
            }

            if (group.Int("ivSize") != 96)
            {
                // RFC 8439 nonces are 96 bits; the file marks every other size invalid, and .NET must refuse them.
                tally.Check($"{test.CaseId()} {group.Int("ivSize")}-bit nonce", () =>
                {
                    Assert.Equal("invalid", test.Text("result"));
                    using var aead = new ChaCha20Poly1305(test.Hex("key"));
                    Assert.ThrowsAny<ArgumentException>(() => aead.Encrypt(test.Hex("iv"), test.Hex("msg"), new byte[test.Hex("msg").Length], new byte[TagSize], test.Hex("aad")));
                });
                continue;
            }

            tally.Check(test.CaseId(), () => CheckAead(new ChaCha20Poly1305(test.Hex("key")), test));
        }

        tally.AssertComplete(vectors.Int("numberOfTests"));
    }

    // Valid: encrypt reproduces ct ‖ tag and decrypt returns msg. Invalid (modified tag): decrypt is refused.
    private static void CheckAead(IDisposable algorithm, JsonElement test)
    {
        using var _ = algorithm;
        var (nonce, message, aad, ciphertext, tag) = (test.Hex("iv"), test.Hex("msg"), test.Hex("aad"), test.Hex("ct"), test.Hex("tag"));
        var plaintext = new byte[ciphertext.Length];
        if (test.Text("result") == "valid")
        {
            var encrypted = new byte[message.Length];
            var computedTag = new byte[TagSize];
            Encrypt(algorithm, nonce, message, encrypted, computedTag, aad);
            Assert.Equal(ciphertext, encrypted);
            Assert.Equal(tag, computedTag);
            Decrypt(algorithm, nonce, ciphertext, tag, plaintext, aad);
            Assert.Equal(message, plaintext);
        }
        else
        {
            Assert.ThrowsAny<CryptographicException>(() => Decrypt(algorithm, nonce, ciphertext, tag, plaintext, aad));
        }
    }

    private static void Encrypt(IDisposable algorithm, byte[] nonce, byte[] plaintext, byte[] ciphertext, byte[] tag, byte[] aad)
    {
        switch (algorithm)
        {
            case AesGcm gcm: gcm.Encrypt(nonce, plaintext, ciphertext, tag, aad); break;
            case ChaCha20Poly1305 chacha: chacha.Encrypt(nonce, plaintext, ciphertext, tag, aad); break;
            default: throw new ArgumentException("Unknown AEAD.", nameof(algorithm));
        }
    }

    private static void Decrypt(IDisposable algorithm, byte[] nonce, byte[] ciphertext, byte[] tag, byte[] plaintext, byte[] aad)
    {
        switch (algorithm)
        {
            case AesGcm gcm: gcm.Decrypt(nonce, ciphertext, tag, plaintext, aad); break;
            case ChaCha20Poly1305 chacha: chacha.Decrypt(nonce, ciphertext, tag, plaintext, aad); break;
            default: throw new ArgumentException("Unknown AEAD.", nameof(algorithm));
        }
    }
}
