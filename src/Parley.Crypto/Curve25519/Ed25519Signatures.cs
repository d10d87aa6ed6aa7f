using System.Security.Cryptography;
using Parley.Crypto.Sodium;

namespace Parley.Crypto.Curve25519;

/// <summary>
/// Plain Ed25519 (RFC 8032) over libsodium. Parley signs with XEdDSA; this exists so the conformance suites can
/// pin what the linked libsodium accepts (TESTPLAN A2), next to what <see cref="XEdDsa"/> accepts.
/// </summary>
internal static unsafe class Ed25519Signatures
{
    internal const int SeedSize = 32;
    internal const int PublicKeySize = 32;
    internal const int SignatureSize = 64;

    /// <summary>The public key A for a 32-byte seed.</summary>
    internal static byte[] PublicKeyFromSeed(ReadOnlySpan<byte> seed)
    {
        var publicKey = new byte[PublicKeySize];
        Span<byte> secretKey = stackalloc byte[64];
        WithKeyPair(seed, publicKey, secretKey);
        CryptographicOperations.ZeroMemory(secretKey);
        return publicKey;
    }

    /// <summary>The deterministic RFC 8032 signature of <paramref name="message"/>.</summary>
    internal static byte[] Sign(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> message)
    {
        Span<byte> publicKey = stackalloc byte[PublicKeySize];
        Span<byte> secretKey = stackalloc byte[64];
        var signature = new byte[SignatureSize];
        try
        {
            WithKeyPair(seed, publicKey, secretKey);
            fixed (byte* pSignature = signature)
            fixed (byte* pMessage = message)
            fixed (byte* pSecret = secretKey)
            {
                if (SodiumNative.crypto_sign_ed25519_detached(pSignature, null, pMessage, (ulong)message.Length, pSecret) != 0)
                {
                    throw new CryptographicException("Ed25519 signing failed.");
                }
            }

            return signature;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secretKey);
        }
    }

    /// <summary>libsodium's <c>crypto_sign_ed25519_verify_detached</c>; false for wrong sizes.</summary>
    internal static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize)
        {
            return false;
        }

        SodiumLibrary.EnsureInitialised();
        fixed (byte* pSignature = signature)
        fixed (byte* pMessage = message)
        fixed (byte* pPublic = publicKey)
        {
            return SodiumNative.crypto_sign_ed25519_verify_detached(pSignature, pMessage, (ulong)message.Length, pPublic) == 0;
        }
    }

    private static void WithKeyPair(ReadOnlySpan<byte> seed, Span<byte> publicKey, Span<byte> secretKey)
    {
        if (seed.Length != SeedSize)
        {
            throw new ArgumentException($"An Ed25519 seed has {SeedSize} bytes.", nameof(seed));
        }

        SodiumLibrary.EnsureInitialised();
        fixed (byte* pSeed = seed)
        fixed (byte* pPublic = publicKey)
        fixed (byte* pSecret = secretKey)
        {
            if (SodiumNative.crypto_sign_ed25519_seed_keypair(pPublic, pSecret, pSeed) != 0)
            {
                throw new CryptographicException("Ed25519 key derivation failed.");
            }
        }
    }
}
