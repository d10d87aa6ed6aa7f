using System.Security.Cryptography;

namespace Parley.Crypto.Kem;

/// <summary>
/// The symmetric functions of FIPS 203 §4.1 over .NET's SHA-3 family:
/// H = SHA3-256, G = SHA3-512, J = SHAKE256 to 32 bytes, PRF_η = SHAKE256 to 64·η bytes, XOF = SHAKE128;
/// plus Kyber round 3's final KDF, SHAKE256(K̄ ‖ H(c)) to 32 bytes (PROTOCOL.md §5.3).
/// </summary>
/// <remarks>
/// OpenSSL 3.0 offers SHAKE only as one-shot hashing (no incremental squeeze), so the XOF is read by asking for a
/// long enough output at once; a SHAKE output is a prefix of every longer output, so that is the same stream.
/// </remarks>
internal static class KemHashes
{
    /// <summary>Throws <see cref="PlatformNotSupportedException"/> when the platform lacks SHA-3 or SHAKE.</summary>
    internal static void EnsureSupported()
    {
        if (!SHA3_256.IsSupported || !SHA3_512.IsSupported || !Shake128.IsSupported || !Shake256.IsSupported)
        {
            throw new PlatformNotSupportedException(
                "Kyber1024/ML-KEM-1024 need SHA3-256, SHA3-512, SHAKE128 and SHAKE256, which this platform's cryptography provider lacks (OpenSSL 1.1.1 or newer is required).");
        }
    }

    /// <summary>H(s) = SHA3-256(s), 32 bytes.</summary>
    internal static void H(ReadOnlySpan<byte> input, Span<byte> destination) => SHA3_256.HashData(input, destination);

    /// <summary>G(c) = SHA3-512(c), 64 bytes (split by the caller into two 32-byte halves).</summary>
    internal static void G(ReadOnlySpan<byte> input, Span<byte> destination) => SHA3_512.HashData(input, destination);

    /// <summary>J(prefix ‖ suffix) = SHAKE256(prefix ‖ suffix, 32 bytes).</summary>
    internal static void J(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> suffix, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[prefix.Length + suffix.Length];
        prefix.CopyTo(input);
        suffix.CopyTo(input[prefix.Length..]);
        Shake256.HashData(input, destination[..KemParameters.SymmetricBytes]);
        CryptographicOperations.ZeroMemory(input);
    }

    /// <summary>PRF_η(s, b) = SHAKE256(s ‖ b) to <paramref name="destination"/>'s length (64·η bytes).</summary>
    internal static void Prf(ReadOnlySpan<byte> seed, byte nonce, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[KemParameters.SymmetricBytes + 1];
        seed.CopyTo(input);
        input[KemParameters.SymmetricBytes] = nonce;
        Shake256.HashData(input, destination);
        CryptographicOperations.ZeroMemory(input);
    }

    /// <summary>The first destination.Length bytes of SHAKE128(ρ ‖ first ‖ second). Public inputs only.</summary>
    internal static void Xof(ReadOnlySpan<byte> rho, byte first, byte second, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[KemParameters.SymmetricBytes + 2];
        rho.CopyTo(input);
        input[KemParameters.SymmetricBytes] = first;
        input[KemParameters.SymmetricBytes + 1] = second;
        Shake128.HashData(input, destination);
    }

    /// <summary>Kyber round 3's shared secret: SHAKE256(K̄ ‖ SHA3-256(c), 32 bytes).</summary>
    internal static void KyberKdf(ReadOnlySpan<byte> preKey, ReadOnlySpan<byte> ciphertext, Span<byte> sharedSecret)
    {
        Span<byte> input = stackalloc byte[2 * KemParameters.SymmetricBytes];
        preKey.CopyTo(input);
        H(ciphertext, input[KemParameters.SymmetricBytes..]);
        Shake256.HashData(input, sharedSecret[..KemParameters.SymmetricBytes]);
        CryptographicOperations.ZeroMemory(input);
    }
}
