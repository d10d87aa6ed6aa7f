using System.Security.Cryptography;

namespace Parley.Crypto.Kem;

/// <summary>
/// Kyber1024 (round 3, libsignal's KEM, key type 0x08) and ML-KEM-1024 (FIPS 203), managed, in one implementation.
/// Keys and ciphertexts are raw (no type byte); the protocol layer adds 0x08.
/// </summary>
/// <remarks>
/// <para>The variants differ only at the hooks of PROTOCOL.md §5.3: KeyGen expands G(d) (Kyber) or G(d ‖ k)
/// (ML-KEM); Kyber encapsulates to m = H(m₀) rather than the random m₀ itself; and Kyber's shared secret is
/// SHAKE256(K̄ ‖ H(c), 32) on both the accepting and the implicit-rejection path of decapsulation.</para>
/// <para>Input checks: an encapsulation key must have the right length and pass the FIPS 203 §7.2 modulus check
/// (all 12-bit coefficients below q), for both variants, as libsignal's libcrux does. A decapsulation key must
/// have the right length and carry H(ek) of its embedded ek (FIPS 203 §7.3), also for both variants.
/// A ciphertext of the right length never makes decapsulation fail: a forged one yields the implicit-rejection key.</para>
/// <para>.NET's <c>System.Security.Cryptography.MLKem</c> is not used: it needs OpenSSL 3.5 or newer
/// (<c>MLKem.IsSupported</c> is false on this Debian 12 / OpenSSL 3.0 machine), it has no Kyber round-3 mode,
/// and a platform path could not be proven byte-identical on the vectors here. This managed code is what runs.</para>
/// <para>Constant time: arithmetic on secret values uses Montgomery/Barrett reduction and masks, never branches or
/// secret-indexed tables; re-encryption is compared and the key selected with masks. Secret intermediates live on
/// the stack and are zeroed before returning.</para>
/// </remarks>
public static class Kem1024
{
    /// <summary>Encapsulation (public) key size.</summary>
    public const int PublicKeySize = KemParameters.EncapsulationKeyBytes;

    /// <summary>Decapsulation (secret) key size.</summary>
    public const int SecretKeySize = KemParameters.DecapsulationKeyBytes;

    /// <summary>Ciphertext size.</summary>
    public const int CiphertextSize = KemParameters.CiphertextBytes;

    /// <summary>Shared secret size.</summary>
    public const int SharedSecretSize = KemParameters.SymmetricBytes;

    private const int SeedSize = KemParameters.SymmetricBytes;

    /// <summary>A fresh key pair from the OS CSPRNG.</summary>
    public static KemKeyPair GenerateKeyPair(KemVariant variant)
    {
        CheckVariant(variant);
        Span<byte> seeds = stackalloc byte[2 * SeedSize];
        RandomNumberGenerator.Fill(seeds);
        try
        {
            return GenerateKeyPair(variant, seeds[..SeedSize], seeds[SeedSize..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seeds);
        }
    }

    /// <summary>
    /// Encapsulates to <paramref name="publicKey"/> with fresh randomness.
    /// Throws <see cref="CryptographicException"/> for a key of the wrong length or with a coefficient ≥ q.
    /// </summary>
    public static (byte[] Ciphertext, byte[] SharedSecret) Encapsulate(KemVariant variant, ReadOnlySpan<byte> publicKey)
    {
        CheckVariant(variant);
        Span<byte> randomness = stackalloc byte[SeedSize];
        RandomNumberGenerator.Fill(randomness);
        try
        {
            return Encapsulate(variant, publicKey, randomness);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(randomness);
        }
    }

    /// <summary>
    /// Recovers the shared secret. Throws <see cref="CryptographicException"/> for a secret key or ciphertext of the
    /// wrong length, or a secret key whose stored H(ek) does not match; a tampered ciphertext of the right length
    /// never throws and yields the implicit-rejection key.
    /// </summary>
    public static byte[] Decapsulate(KemVariant variant, ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> ciphertext)
    {
        CheckVariant(variant);
        if (ciphertext.Length != CiphertextSize)
        {
            throw new CryptographicException($"A Kyber1024/ML-KEM-1024 ciphertext has {CiphertextSize} bytes, not {ciphertext.Length}.");
        }

        if (secretKey.Length != SecretKeySize)
        {
            throw new CryptographicException($"A Kyber1024/ML-KEM-1024 secret key has {SecretKeySize} bytes, not {secretKey.Length}.");
        }

        if (!HasConsistentHash(secretKey))
        {
            throw new CryptographicException("The Kyber1024/ML-KEM-1024 secret key is corrupt (its stored H(ek) does not match).");
        }

        KemHashes.EnsureSupported();
        var sharedSecret = new byte[SharedSecretSize];
        DecapsulateCore(variant, secretKey, ciphertext, sharedSecret);
        return sharedSecret;
    }

    /// <summary>True when <paramref name="publicKey"/> has the right length and passes the FIPS 203 modulus check.</summary>
    public static bool IsValidPublicKey(ReadOnlySpan<byte> publicKey) =>
        publicKey.Length == PublicKeySize && PolynomialEncoding.IsReducedEncoding12(publicKey[..KemParameters.VectorBytes]);

    /// <summary>True when <paramref name="secretKey"/> has the right length and its stored H(ek) matches its ek.</summary>
    public static bool IsValidSecretKey(ReadOnlySpan<byte> secretKey) =>
        secretKey.Length == SecretKeySize && HasConsistentHash(secretKey);

    /// <summary>Deterministic KeyGen from the seeds d and z (32 bytes each): ML-KEM.KeyGen_internal or Kyber's keypair from its coins.</summary>
    internal static KemKeyPair GenerateKeyPair(KemVariant variant, ReadOnlySpan<byte> d, ReadOnlySpan<byte> z)
    {
        CheckVariant(variant);
        if (d.Length != SeedSize || z.Length != SeedSize)
        {
            throw new ArgumentException($"KeyGen seeds d and z have {SeedSize} bytes each.");
        }

        KemHashes.EnsureSupported();
        var publicKey = new byte[PublicKeySize];
        var secretKey = new byte[SecretKeySize];
        KPke.GenerateKeys(d, variant == KemVariant.MlKem1024, publicKey, secretKey.AsSpan(0, KemParameters.VectorBytes));
        publicKey.CopyTo(secretKey.AsSpan(KemParameters.DkEncapsulationKeyOffset));
        KemHashes.H(publicKey, secretKey.AsSpan(KemParameters.DkHashOffset, SeedSize));
        z.CopyTo(secretKey.AsSpan(KemParameters.DkRejectionSeedOffset));
        return new KemKeyPair(publicKey, secretKey);
    }

    /// <summary>KeyGen from a 64-byte seed d ‖ z (the FIPS 203 seed format of the vectors).</summary>
    internal static KemKeyPair GenerateKeyPairFromSeed(KemVariant variant, ReadOnlySpan<byte> seed)
    {
        if (seed.Length != 2 * SeedSize)
        {
            throw new CryptographicException($"A KeyGen seed d ‖ z has {2 * SeedSize} bytes, not {seed.Length}.");
        }

        return GenerateKeyPair(variant, seed[..SeedSize], seed[SeedSize..]);
    }

    /// <summary>
    /// Deterministic Encaps: ML-KEM.Encaps_internal(ek, m), or Kyber's encapsulation with coin m₀ (hashed to m = H(m₀)).
    /// </summary>
    internal static (byte[] Ciphertext, byte[] SharedSecret) Encapsulate(KemVariant variant, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> randomness)
    {
        CheckVariant(variant);
        if (randomness.Length != SeedSize)
        {
            throw new ArgumentException($"Encapsulation randomness has {SeedSize} bytes.", nameof(randomness));
        }

        if (publicKey.Length != PublicKeySize)
        {
            throw new CryptographicException($"A Kyber1024/ML-KEM-1024 public key has {PublicKeySize} bytes, not {publicKey.Length}.");
        }

        if (!PolynomialEncoding.IsReducedEncoding12(publicKey[..KemParameters.VectorBytes]))
        {
            throw new CryptographicException("The Kyber1024/ML-KEM-1024 public key is malformed (a coefficient is not below q).");
        }

        KemHashes.EnsureSupported();
        var ciphertext = new byte[CiphertextSize];
        var sharedSecret = new byte[SharedSecretSize];
        Span<byte> message = stackalloc byte[SeedSize];
        Span<byte> hashInput = stackalloc byte[2 * SeedSize];   // m ‖ H(ek)
        Span<byte> keyAndCoins = stackalloc byte[2 * SeedSize]; // K̄ ‖ r
        try
        {
            if (variant == KemVariant.Kyber1024)
            {
                KemHashes.H(randomness, message);
            }
            else
            {
                randomness.CopyTo(message);
            }

            message.CopyTo(hashInput);
            KemHashes.H(publicKey, hashInput[SeedSize..]);
            KemHashes.G(hashInput, keyAndCoins);
            KPke.Encrypt(publicKey, message, keyAndCoins[SeedSize..], ciphertext);
            FinishSharedSecret(variant, keyAndCoins[..SeedSize], ciphertext, sharedSecret);
            return (ciphertext, sharedSecret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(message);
            CryptographicOperations.ZeroMemory(hashInput);
            CryptographicOperations.ZeroMemory(keyAndCoins);
        }
    }

    /// <summary>ML-KEM.Decaps_internal plus the Kyber KDF; inputs already length- and hash-checked.</summary>
    private static void DecapsulateCore(KemVariant variant, ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> ciphertext, Span<byte> sharedSecret)
    {
        var decryptionKey = secretKey[..KemParameters.VectorBytes];
        var encapsulationKey = secretKey.Slice(KemParameters.DkEncapsulationKeyOffset, PublicKeySize);
        var publicKeyHash = secretKey.Slice(KemParameters.DkHashOffset, SeedSize);
        var rejectionSeed = secretKey.Slice(KemParameters.DkRejectionSeedOffset, SeedSize);

        Span<byte> hashInput = stackalloc byte[2 * SeedSize];   // m′ ‖ h
        Span<byte> keyAndCoins = stackalloc byte[2 * SeedSize]; // K′ ‖ r′
        Span<byte> rejectionKey = stackalloc byte[SeedSize];    // K̄ = J(z ‖ c)
        Span<byte> selectedKey = stackalloc byte[SeedSize];
        Span<byte> reencrypted = stackalloc byte[CiphertextSize];
        try
        {
            KPke.Decrypt(decryptionKey, ciphertext, hashInput[..SeedSize]);
            publicKeyHash.CopyTo(hashInput[SeedSize..]);
            KemHashes.G(hashInput, keyAndCoins);
            KemHashes.J(rejectionSeed, ciphertext, rejectionKey);
            KPke.Encrypt(encapsulationKey, hashInput[..SeedSize], keyAndCoins[SeedSize..], reencrypted);

            // Implicit rejection without a branch: keep K′ only when c′ = c.
            var differs = ConstantTime.DifferenceMask(ciphertext, reencrypted);
            ConstantTime.Select(differs, rejectionKey, keyAndCoins[..SeedSize], selectedKey);
            FinishSharedSecret(variant, selectedKey, ciphertext, sharedSecret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(hashInput);
            CryptographicOperations.ZeroMemory(keyAndCoins);
            CryptographicOperations.ZeroMemory(rejectionKey);
            CryptographicOperations.ZeroMemory(selectedKey);
            CryptographicOperations.ZeroMemory(reencrypted);
        }
    }

    /// <summary>ML-KEM returns K̄ itself; Kyber round 3 returns SHAKE256(K̄ ‖ H(c), 32).</summary>
    private static void FinishSharedSecret(KemVariant variant, ReadOnlySpan<byte> preKey, ReadOnlySpan<byte> ciphertext, Span<byte> sharedSecret)
    {
        if (variant == KemVariant.Kyber1024)
        {
            KemHashes.KyberKdf(preKey, ciphertext, sharedSecret);
        }
        else
        {
            preKey.CopyTo(sharedSecret);
        }
    }

    private static bool HasConsistentHash(ReadOnlySpan<byte> secretKey)
    {
        KemHashes.EnsureSupported();
        Span<byte> hash = stackalloc byte[SeedSize];
        KemHashes.H(secretKey.Slice(KemParameters.DkEncapsulationKeyOffset, PublicKeySize), hash);
        return CryptographicOperations.FixedTimeEquals(hash, secretKey.Slice(KemParameters.DkHashOffset, SeedSize));
    }

    private static void CheckVariant(KemVariant variant)
    {
        if (variant is not (KemVariant.Kyber1024 or KemVariant.MlKem1024))
        {
            throw new ArgumentOutOfRangeException(nameof(variant), variant, "Unknown KEM variant.");
        }
    }
}
