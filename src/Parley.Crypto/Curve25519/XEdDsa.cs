using System.Security.Cryptography;
using Parley.Crypto.Hashing;
using Parley.Crypto.Sodium;

namespace Parley.Crypto.Curve25519;

/// <summary>
/// XEdDSA signatures with X25519 keys, exactly as libsignal computes them (PROTOCOL.md §3):
/// the Edwards sign bit of the signer's key travels in bit 7 of byte 63 instead of negating the scalar.
/// </summary>
public static class XEdDsa
{
    /// <summary>Signature size in bytes (R ‖ s).</summary>
    public const int SignatureSize = 64;

    /// <summary>Signs <paramref name="message"/> with a 32-byte X25519 private key and 64 fresh random bytes.</summary>
    public static byte[] Sign(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> message)
    {
        Span<byte> random = stackalloc byte[64];
        RandomNumberGenerator.Fill(random);
        try
        {
            return Sign(privateKey, message, random);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(random);
        }
    }

    /// <summary>Signs with caller-supplied randomness Z (64 bytes). For deterministic tests only.</summary>
    public static byte[] Sign(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> random)
    {
        if (privateKey.Length != X25519.KeySize)
        {
            throw new ArgumentException($"Expected a {X25519.KeySize}-byte private key.", nameof(privateKey));
        }

        if (random.Length != 64)
        {
            throw new ArgumentException("Expected 64 random bytes.", nameof(random));
        }

        SodiumLibrary.EnsureInitialised();
        Span<byte> a = stackalloc byte[32];
        Span<byte> publicEdwards = stackalloc byte[32];
        Span<byte> r = stackalloc byte[32];
        Span<byte> digest = stackalloc byte[64];
        var signature = new byte[SignatureSize];
        try
        {
            Ed25519Arithmetic.Reduce(privateKey, a);
            // k < 2^255 and B has order L, so k·B = a·B.
            Ed25519Arithmetic.MultiplyBase(privateKey, publicEdwards);
            var signBit = (byte)(publicEdwards[31] & 0x80);

            // r = SHA-512(0xFE ‖ 0xFF×31 ‖ k ‖ M ‖ Z) mod L
            using (var hash = new Sha512())
            {
                Span<byte> prefix = stackalloc byte[32];
                prefix.Fill(0xFF);
                prefix[0] = 0xFE;
                hash.Append(prefix);
                hash.Append(privateKey);
                hash.Append(message);
                hash.Append(random);
                hash.FinishAndReset(digest);
            }

            Ed25519Arithmetic.ReduceWide(digest, r);
            var capitalR = signature.AsSpan(0, 32);
            Ed25519Arithmetic.MultiplyBase(r, capitalR);

            // h = SHA-512(R ‖ A ‖ M) mod L; s = h·a + r mod L
            Span<byte> h = stackalloc byte[32];
            ComputeChallenge(capitalR, publicEdwards, message, h);
            Ed25519Arithmetic.MultiplyAdd(h, a, r, signature.AsSpan(32, 32));
            signature[63] = (byte)((signature[63] & 0x7F) | signBit);
            return signature;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(a);
            CryptographicOperations.ZeroMemory(r);
            CryptographicOperations.ZeroMemory(digest);
        }
    }

    /// <summary>Verifies a signature against a 32-byte X25519 public key (the u-coordinate).</summary>
    /// <remarks>
    /// Mirrors libsignal's acceptance rules: s may be unreduced but must be below 2^253; R must equal the
    /// canonical encoding of s·B − h·A; u = −1 has no Edwards form and is rejected.
    /// </remarks>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != X25519.KeySize || signature.Length != SignatureSize)
        {
            return false;
        }

        SodiumLibrary.EnsureInitialised();

        // s: clear the sign bit's slot, require s < 2^253, reduce mod L.
        Span<byte> s = stackalloc byte[32];
        signature[32..].CopyTo(s);
        s[31] &= 0x7F;
        if ((s[31] & 0xE0) != 0)
        {
            return false;
        }

        Span<byte> encodedA = stackalloc byte[32];
        if (!TryMontgomeryToEdwards(publicKey, (byte)(signature[63] & 0x80), encodedA))
        {
            return false;
        }

        // Fast path: libsodium's Ed25519 verifier (a variable-time double-scalar multiplication) is stricter than these
        // rules (it also wants s < L and rejects small-order A and R), but it accepts only when R = enc(s·B − h·A) with
        // h = SHA-512(R ‖ A ‖ M) over this same A and s, so its acceptance is final. Its rejections may still be
        // signatures these rules accept (s + L, a small-order R …), so those are decided by the exact steps below.
        // encodedA is already canonical whenever libsodium can accept it: y is fully reduced, and the only point with
        // x = 0 that u can give, (0, −1) from u = 0, has order 2, which libsodium rejects.
        Span<byte> candidate = stackalloc byte[SignatureSize];
        signature[..32].CopyTo(candidate);
        s.CopyTo(candidate[32..]);
        if (Ed25519Signatures.Verify(encodedA, message, candidate))
        {
            return true;
        }

        Span<byte> a = stackalloc byte[32];
        if (!Ed25519Arithmetic.TryCanonicalise(encodedA, a))
        {
            return false;
        }

        Span<byte> sReduced = stackalloc byte[32];
        Ed25519Arithmetic.Reduce(s, sReduced);
        Span<byte> h = stackalloc byte[32];
        ComputeChallenge(signature[..32], a, message, h);

        Span<byte> sB = stackalloc byte[32];
        Span<byte> hA = stackalloc byte[32];
        Span<byte> expectedR = stackalloc byte[32];
        Ed25519Arithmetic.MultiplyBase(sReduced, sB);
        if (!Ed25519Arithmetic.TryMultiply(h, a, hA) || !Ed25519Arithmetic.TrySubtract(sB, hA, expectedR))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(expectedR, signature[..32]);
    }

    private static void ComputeChallenge(ReadOnlySpan<byte> capitalR, ReadOnlySpan<byte> a, ReadOnlySpan<byte> message, Span<byte> h)
    {
        Span<byte> digest = stackalloc byte[64];
        using var hash = new Sha512();
        hash.Append(capitalR);
        hash.Append(a);
        hash.Append(message);
        hash.FinishAndReset(digest);
        Ed25519Arithmetic.ReduceWide(digest, h);
    }

    /// <summary>y = (u − 1)/(u + 1) mod p with the given x-sign bit; false for u = −1. Public data only.</summary>
    private static bool TryMontgomeryToEdwards(ReadOnlySpan<byte> publicKey, byte signBit, Span<byte> encoded)
    {
        // FromBytes ignores bit 255 and accepts unreduced values (p ≤ u < 2^255 is u − p), as the rules require.
        var u = PublicFieldElement.FromBytes(publicKey);
        var denominator = u + PublicFieldElement.One;
        if (denominator.IsZero())
        {
            return false;
        }

        var y = (u - PublicFieldElement.One) * denominator.Invert();
        y.ToBytes(encoded);
        encoded[31] |= signBit;
        return true;
    }
}
