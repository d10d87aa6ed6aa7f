using System.Diagnostics;
using System.Security.Cryptography;
using Parley.Crypto.Kem;
using Xunit.Abstractions;

namespace Parley.Crypto.Tests.Kem;

/// <summary>The public contract of <see cref="Kem1024"/>: sizes, round trips, input checks, implicit rejection, redaction.</summary>
public sealed class Kem1024Tests(ITestOutputHelper output)
{
    public static TheoryData<KemVariant> Variants => [KemVariant.Kyber1024, KemVariant.MlKem1024];

    [Theory]
    [MemberData(nameof(Variants))]
    public void Fresh_keys_encapsulate_and_decapsulate_to_the_same_secret(KemVariant variant)
    {
        var pair = Kem1024.GenerateKeyPair(variant);
        Assert.Equal(Kem1024.PublicKeySize, pair.PublicKey.Length);
        Assert.Equal(Kem1024.SecretKeySize, pair.SecretKey.Length);
        var (ciphertext, sharedSecret) = Kem1024.Encapsulate(variant, pair.PublicKey);
        Assert.Equal(Kem1024.CiphertextSize, ciphertext.Length);
        Assert.Equal(Kem1024.SharedSecretSize, sharedSecret.Length);
        Assert.Equal(sharedSecret, Kem1024.Decapsulate(variant, pair.SecretKey, ciphertext));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Tampered_ciphertext_yields_the_implicit_rejection_key_without_throwing(KemVariant variant)
    {
        var pair = Kem1024.GenerateKeyPair(variant);
        var (ciphertext, sharedSecret) = Kem1024.Encapsulate(variant, pair.PublicKey);
        ciphertext[100] ^= 0x10;
        var rejected = Kem1024.Decapsulate(variant, pair.SecretKey, ciphertext);
        Assert.NotEqual(sharedSecret, rejected);
        // Deterministic: the same forged ciphertext gives the same key (it is a function of z and c).
        Assert.Equal(rejected, Kem1024.Decapsulate(variant, pair.SecretKey, ciphertext));
    }

    [Fact]
    public void Kyber_rejection_key_is_the_ml_kem_rejection_key_through_the_kyber_kdf()
    {
        // PROTOCOL.md §5.3: Kyber's implicit-rejection output is SHAKE256(J(z ‖ c) ‖ H(c), 32).
        var pair = Kem1024.GenerateKeyPair(KemVariant.Kyber1024);
        var (ciphertext, _) = Kem1024.Encapsulate(KemVariant.Kyber1024, pair.PublicKey);
        ciphertext[0] ^= 1;
        var mlKemRejection = Kem1024.Decapsulate(KemVariant.MlKem1024, pair.SecretKey, ciphertext);
        var z = pair.SecretKey.AsSpan(Kem1024.SecretKeySize - 32);
        Assert.Equal(Shake256.HashData([.. z, .. ciphertext], 32), mlKemRejection);
        var expected = Shake256.HashData([.. mlKemRejection, .. SHA3_256.HashData(ciphertext)], 32);
        Assert.Equal(expected, Kem1024.Decapsulate(KemVariant.Kyber1024, pair.SecretKey, ciphertext));
    }

    [Fact]
    public void Kyber_shared_secret_is_the_ml_kem_key_of_the_hashed_coin_through_the_kdf()
    {
        // PROTOCOL.md §5.3: Kyber.Encaps(ek, m₀) = ML-KEM.Encaps_internal(ek, H(m₀)) followed by the KDF.
        var pair = Kem1024.GenerateKeyPair(KemVariant.Kyber1024);
        var coin = RandomNumberGenerator.GetBytes(32);
        var kyber = Kem1024.Encapsulate(KemVariant.Kyber1024, pair.PublicKey, coin);
        var mlKem = Kem1024.Encapsulate(KemVariant.MlKem1024, pair.PublicKey, SHA3_256.HashData(coin));
        Assert.Equal(mlKem.Ciphertext, kyber.Ciphertext);
        Assert.Equal(Shake256.HashData([.. mlKem.SharedSecret, .. SHA3_256.HashData(kyber.Ciphertext)], 32), kyber.SharedSecret);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Wrong_lengths_are_rejected_with_CryptographicException(KemVariant variant)
    {
        var pair = Kem1024.GenerateKeyPair(variant);
        var (ciphertext, _) = Kem1024.Encapsulate(variant, pair.PublicKey);
        Assert.Throws<CryptographicException>(() => Kem1024.Encapsulate(variant, pair.PublicKey.AsSpan(1)));
        Assert.Throws<CryptographicException>(() => Kem1024.Encapsulate(variant, [.. pair.PublicKey, 0]));
        Assert.Throws<CryptographicException>(() => Kem1024.Encapsulate(variant, ReadOnlySpan<byte>.Empty));
        Assert.Throws<CryptographicException>(() => Kem1024.Decapsulate(variant, pair.SecretKey, ciphertext.AsSpan(1)));
        Assert.Throws<CryptographicException>(() => Kem1024.Decapsulate(variant, pair.SecretKey, [.. ciphertext, 0]));
        Assert.Throws<CryptographicException>(() => Kem1024.Decapsulate(variant, pair.SecretKey.AsSpan(1), ciphertext));
        Assert.Throws<CryptographicException>(() => Kem1024.Decapsulate(variant, [.. pair.SecretKey, 0], ciphertext));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Public_key_with_a_coefficient_of_q_is_rejected_for_both_variants(KemVariant variant)
    {
        var publicKey = Kem1024.GenerateKeyPair(variant).PublicKey;
        // Overwrite the first 12-bit coefficient with q = 3329 = 0xD01.
        publicKey[0] = 0x01;
        publicKey[1] = (byte)((publicKey[1] & 0xF0) | 0x0D);
        Assert.False(Kem1024.IsValidPublicKey(publicKey));
        Assert.Throws<CryptographicException>(() => Kem1024.Encapsulate(variant, publicKey));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Secret_key_with_a_corrupted_embedded_public_key_is_rejected(KemVariant variant)
    {
        var pair = Kem1024.GenerateKeyPair(variant);
        var (ciphertext, _) = Kem1024.Encapsulate(variant, pair.PublicKey);
        var corrupt = (byte[])pair.SecretKey.Clone();
        corrupt[2000] ^= 1;
        Assert.False(Kem1024.IsValidSecretKey(corrupt));
        Assert.True(Kem1024.IsValidSecretKey(pair.SecretKey));
        Assert.Throws<CryptographicException>(() => Kem1024.Decapsulate(variant, corrupt, ciphertext));
    }

    [Fact]
    public void Variants_do_not_agree_with_each_other()
    {
        var pair = Kem1024.GenerateKeyPair(KemVariant.Kyber1024);
        var (ciphertext, sharedSecret) = Kem1024.Encapsulate(KemVariant.Kyber1024, pair.PublicKey);
        Assert.NotEqual(sharedSecret, Kem1024.Decapsulate(KemVariant.MlKem1024, pair.SecretKey, ciphertext));
        var d = RandomNumberGenerator.GetBytes(32);
        var z = RandomNumberGenerator.GetBytes(32);
        Assert.NotEqual(
            Kem1024.GenerateKeyPair(KemVariant.Kyber1024, d, z).PublicKey,
            Kem1024.GenerateKeyPair(KemVariant.MlKem1024, d, z).PublicKey);
    }

    [Fact]
    public void Undefined_variant_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Kem1024.GenerateKeyPair((KemVariant)7));
    }

    [Fact]
    public void Key_pair_ToString_shows_no_key_bytes()
    {
        var pair = Kem1024.GenerateKeyPair(KemVariant.Kyber1024);
        var text = pair.ToString();
        Assert.Contains("redacted", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(pair.SecretKey.AsSpan(0, 8)), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("System.Byte", text, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new KemKeyPair(new byte[10], pair.SecretKey));
        Assert.Throws<ArgumentException>(() => new KemKeyPair(pair.PublicKey, new byte[10]));
    }

    [Fact]
    public void Platform_ml_kem_when_present_agrees_with_the_managed_code()
    {
        // Documents why the managed code runs: .NET's MLKem needs OpenSSL 3.5+. Where it exists, the two must agree.
        if (!MLKem.IsSupported)
        {
            output.WriteLine("MLKem.IsSupported is false on this machine (OpenSSL < 3.5): platform cross-check not run.");
            return;
        }

        var seed = RandomNumberGenerator.GetBytes(64);
        var managed = Kem1024.GenerateKeyPairFromSeed(KemVariant.MlKem1024, seed);
        using var platform = MLKem.ImportPrivateSeed(MLKemAlgorithm.MLKem1024, seed);
        Assert.Equal(managed.PublicKey, platform.ExportEncapsulationKey());
        Assert.Equal(managed.SecretKey, platform.ExportDecapsulationKey());
        var (ciphertext, sharedSecret) = Kem1024.Encapsulate(KemVariant.MlKem1024, managed.PublicKey);
        Assert.Equal(sharedSecret, platform.Decapsulate(ciphertext));
        output.WriteLine("MLKem is supported here and agrees with the managed ML-KEM-1024.");
    }

    [Fact]
    public void Operation_timings_are_measured()
    {
        // A figure for docs/benchmarks.md, not an assertion (no wall-clock asserts).
        const int rounds = 500;
        foreach (var variant in new[] { KemVariant.Kyber1024, KemVariant.MlKem1024 })
        {
            var pair = Kem1024.GenerateKeyPair(variant);
            var (ciphertext, _) = Kem1024.Encapsulate(variant, pair.PublicKey);
            for (var i = 0; i < 50; i++)
            {
                _ = Kem1024.Decapsulate(variant, pair.SecretKey, ciphertext); // warm-up
            }

            var keyGen = Measure(rounds, () => Kem1024.GenerateKeyPair(variant));
            var encaps = Measure(rounds, () => Kem1024.Encapsulate(variant, pair.PublicKey));
            var decaps = Measure(rounds, () => Kem1024.Decapsulate(variant, pair.SecretKey, ciphertext));
            output.WriteLine($"{variant}: KeyGen {keyGen:F1} µs, Encaps {encaps:F1} µs, Decaps {decaps:F1} µs (mean of {rounds})");
        }
    }

    private static double Measure(int rounds, Action action)
    {
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < rounds; i++)
        {
            action();
        }

        return stopwatch.Elapsed.TotalMicroseconds / rounds;
    }
}
