using System.Security.Cryptography;
using Parley.Crypto.Sodium;

namespace Parley.Crypto.Curve25519;

/// <summary>Ed25519 scalar and point operations on 32-byte encodings, over libsodium. Hazmat: for XEdDSA only.</summary>
internal static unsafe class Ed25519Arithmetic
{
    internal const int Size = 32;

    /// <summary>The encoding of the identity point (0, 1).</summary>
    internal static ReadOnlySpan<byte> Identity => [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>Reduces a 64-byte little-endian integer modulo L.</summary>
    internal static void ReduceWide(ReadOnlySpan<byte> wide, Span<byte> scalar)
    {
        Span<byte> copy = stackalloc byte[64];
        wide.CopyTo(copy);
        fixed (byte* r = scalar)
        fixed (byte* s = copy)
        {
            SodiumNative.crypto_core_ed25519_scalar_reduce(r, s);
        }

        CryptographicOperations.ZeroMemory(copy);
    }

    /// <summary>Reduces a 32-byte little-endian integer modulo L.</summary>
    internal static void Reduce(ReadOnlySpan<byte> value, Span<byte> scalar)
    {
        Span<byte> wide = stackalloc byte[64];
        wide.Clear();
        value.CopyTo(wide);
        ReduceWide(wide, scalar);
        CryptographicOperations.ZeroMemory(wide);
    }

    /// <summary>z = x·y + w (mod L).</summary>
    internal static void MultiplyAdd(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y, ReadOnlySpan<byte> w, Span<byte> z)
    {
        Span<byte> product = stackalloc byte[Size];
        fixed (byte* pz = z)
        fixed (byte* pp = product)
        fixed (byte* px = x)
        fixed (byte* py = y)
        fixed (byte* pw = w)
        {
            SodiumNative.crypto_core_ed25519_scalar_mul(pp, px, py);
            SodiumNative.crypto_core_ed25519_scalar_add(pz, pp, pw);
        }

        CryptographicOperations.ZeroMemory(product);
    }

    /// <summary>n·B for a scalar below 2^255; the identity when n ≡ 0 (mod L).</summary>
    internal static void MultiplyBase(ReadOnlySpan<byte> n, Span<byte> point)
    {
        fixed (byte* q = point)
        fixed (byte* pn = n)
        {
            if (SodiumNative.crypto_scalarmult_ed25519_base_noclamp(q, pn) != 0)
            {
                // libsodium refuses to return the identity; it is the correct answer here.
                Identity.CopyTo(point);
            }
        }
    }

    /// <summary>
    /// Decodes and re-encodes a point. Returns false when the encoding is not on the curve.
    /// The output is canonical (as the reference implementations' compress would produce).
    /// </summary>
    internal static bool TryCanonicalise(ReadOnlySpan<byte> encoded, Span<byte> canonical)
    {
        fixed (byte* r = canonical)
        fixed (byte* p = encoded)
        fixed (byte* id = Identity)
        {
            return SodiumNative.crypto_core_ed25519_add(r, p, id) == 0;
        }
    }

    /// <summary>h·A for a reduced scalar h and any on-curve point A, including points with a torsion component.</summary>
    internal static bool TryMultiply(ReadOnlySpan<byte> h, ReadOnlySpan<byte> a, Span<byte> result)
    {
        if (IsZero(h))
        {
            Identity.CopyTo(result);
            return true;
        }

        fixed (byte* r = result)
        fixed (byte* ph = h)
        fixed (byte* pa = a)
        {
            if (SodiumNative.crypto_core_ed25519_is_valid_point(pa) == 1)
            {
                // Prime-order point: libsodium's constant-time ladder. A zero result cannot happen for h ≠ 0.
                return SodiumNative.crypto_scalarmult_ed25519_noclamp(r, ph, pa) == 0;
            }
        }

        // A point with a small-order component (public data only): plain double-and-add with complete addition,
        // so verification matches libsignal's arithmetic for every on-curve key.
        Span<byte> acc = stackalloc byte[Size];
        Identity.CopyTo(acc);
        fixed (byte* pacc = acc)
        fixed (byte* pa = a)
        {
            for (var bit = 255; bit >= 0; bit--)
            {
                if (SodiumNative.crypto_core_ed25519_add(pacc, pacc, pacc) != 0)
                {
                    return false;
                }

                if (((h[bit >> 3] >> (bit & 7)) & 1) == 1 && SodiumNative.crypto_core_ed25519_add(pacc, pacc, pa) != 0)
                {
                    return false;
                }
            }
        }

        acc.CopyTo(result);
        return true;
    }

    /// <summary>r = p − q; false when either is not on the curve.</summary>
    internal static bool TrySubtract(ReadOnlySpan<byte> p, ReadOnlySpan<byte> q, Span<byte> r)
    {
        fixed (byte* pr = r)
        fixed (byte* pp = p)
        fixed (byte* pq = q)
        {
            return SodiumNative.crypto_core_ed25519_sub(pr, pp, pq) == 0;
        }
    }

    private static bool IsZero(ReadOnlySpan<byte> value)
    {
        var acc = 0;
        foreach (var b in value)
        {
            acc |= b;
        }

        return acc == 0;
    }
}
