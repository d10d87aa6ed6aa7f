using System.Security.Cryptography;
using Parley.Crypto.Sodium;

namespace Parley.Crypto.Curve25519;

/// <summary>X25519 key agreement (RFC 7748) over the system libsodium.</summary>
/// <remarks>
/// Keys are raw 32-byte values here; the 33-byte <c>0x05</c>-prefixed wire form belongs to the protocol layer.
/// Private keys are clamped when generated, matching libsignal (PROTOCOL.md §2.1).
/// </remarks>
public static unsafe class X25519
{
    /// <summary>Size of private keys, public keys and shared secrets.</summary>
    public const int KeySize = 32;

    /// <summary>A fresh clamped private key from the OS CSPRNG.</summary>
    public static byte[] GeneratePrivateKey()
    {
        var key = new byte[KeySize];
        RandomNumberGenerator.Fill(key);
        Clamp(key);
        return key;
    }

    /// <summary>Clamps a private key in place (<c>k[0] &amp;= 248; k[31] &amp;= 127; k[31] |= 64</c>).</summary>
    public static void Clamp(Span<byte> privateKey)
    {
        CheckSize(privateKey.Length, nameof(privateKey));
        privateKey[0] &= 248;
        privateKey[31] &= 127;
        privateKey[31] |= 64;
    }

    /// <summary>The public u-coordinate for a private key.</summary>
    public static byte[] PublicKeyFromPrivate(ReadOnlySpan<byte> privateKey)
    {
        CheckSize(privateKey.Length, nameof(privateKey));
        SodiumLibrary.EnsureInitialised();
        var publicKey = new byte[KeySize];
        fixed (byte* q = publicKey)
        fixed (byte* n = privateKey)
        {
            if (SodiumNative.crypto_scalarmult_curve25519_base(q, n) != 0)
            {
                throw new CryptographicException("X25519 public key derivation failed.");
            }
        }

        return publicKey;
    }

    /// <summary>
    /// Computes the shared secret. Returns <c>false</c> (and zeroes <paramref name="sharedSecret"/>) when the
    /// result is all zero, i.e. the peer's key is of small order: such agreements are always rejected.
    /// </summary>
    public static bool TryAgree(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> publicKey, Span<byte> sharedSecret)
    {
        CheckSize(privateKey.Length, nameof(privateKey));
        CheckSize(publicKey.Length, nameof(publicKey));
        CheckSize(sharedSecret.Length, nameof(sharedSecret));
        SodiumLibrary.EnsureInitialised();
        fixed (byte* q = sharedSecret)
        fixed (byte* n = privateKey)
        fixed (byte* p = publicKey)
        {
            if (SodiumNative.crypto_scalarmult_curve25519(q, n, p) != 0)
            {
                CryptographicOperations.ZeroMemory(sharedSecret);
                return false;
            }
        }

        return true;
    }

    /// <summary>Computes the shared secret; throws <see cref="CryptographicException"/> on an all-zero result.</summary>
    public static byte[] Agree(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> publicKey)
    {
        var shared = new byte[KeySize];
        if (!TryAgree(privateKey, publicKey, shared))
        {
            throw new CryptographicException("X25519 agreement produced an all-zero secret (small-order public key).");
        }

        return shared;
    }

    /// <summary>
    /// True when a public u-coordinate is canonical and generates the prime-order subgroup: u &lt; 2^255 − 19 with
    /// bit 255 clear, on the curve rather than its twist, u ≠ 0 and u ≠ −1 (PROTOCOL.md §2.1: libsignal's check on an
    /// incoming base key). Public data only; variable time.
    /// </summary>
    public static bool IsCanonicalPublicKey(ReadOnlySpan<byte> publicKey) => Curve25519Canonicity.IsCanonical(publicKey);

    private static void CheckSize(int length, string name)
    {
        if (length != KeySize)
        {
            throw new ArgumentException($"Expected {KeySize} bytes, got {length}.", name);
        }
    }
}
