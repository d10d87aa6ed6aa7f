using System.Numerics;

namespace Parley.Protocol.Keys;

/// <summary>
/// The base-key canonicity check of PROTOCOL.md §2.1: the u-coordinate is a canonical field element
/// (below 2^255 − 19, bit 255 clear), lies on Curve25519 rather than its twist, has an Edwards form
/// (u ≠ −1), and generates the prime-order subgroup ([L]·P is the point at infinity).
/// </summary>
/// <remarks>
/// Only public keys are checked, so plain <see cref="BigInteger"/> arithmetic is fine: timing reveals nothing.
/// The subgroup test runs an x-only Montgomery ladder over the 253 bits of L.
/// </remarks>
internal static class Curve25519Canonicity
{
    private static readonly BigInteger P = (BigInteger.One << 255) - 19;

    // L = 2^252 + 27742317777372353535851937790883648493, the prime order of the main subgroup.
    private static readonly BigInteger L = (BigInteger.One << 252) + BigInteger.Parse("27742317777372353535851937790883648493", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly BigInteger A = 486662;
    private static readonly BigInteger A24 = 121665;

    public static bool IsCanonical(ReadOnlySpan<byte> u)
    {
        if (u.Length != 32 || (u[31] & 0x80) != 0)
        {
            return false;
        }

        var x = new BigInteger(u, isUnsigned: true, isBigEndian: false);
        if (x >= P || x.IsZero || x == P - 1)
        {
            // Non-canonical encoding; u = 0 is the point of order 2; u = −1 has no Edwards form.
            return false;
        }

        // On the curve iff u³ + A·u² + u is a square (Euler's criterion); otherwise it is on the twist.
        var rhs = Mod((((x * x) % P) * x) + (A * x * x) + x);
        if (!rhs.IsZero && BigInteger.ModPow(rhs, (P - 1) / 2, P) != BigInteger.One)
        {
            return false;
        }

        return LadderTimesOrderIsInfinity(x);
    }

    private static bool LadderTimesOrderIsInfinity(BigInteger x1)
    {
        BigInteger x2 = BigInteger.One, z2 = BigInteger.Zero, x3 = x1, z3 = BigInteger.One;
        for (var bit = (int)L.GetBitLength() - 1; bit >= 0; bit--)
        {
            var set = !((L >> bit) & BigInteger.One).IsZero;
            if (set)
            {
                (x2, x3) = (x3, x2);
                (z2, z3) = (z3, z2);
            }

            var a = Mod(x2 + z2);
            var aa = (a * a) % P;
            var b = Mod(x2 - z2);
            var bb = (b * b) % P;
            var e = Mod(aa - bb);
            var c = Mod(x3 + z3);
            var d = Mod(x3 - z3);
            var da = (d * a) % P;
            var cb = (c * b) % P;
            var sum = Mod(da + cb);
            var difference = Mod(da - cb);
            x3 = (sum * sum) % P;
            z3 = (x1 * ((difference * difference) % P)) % P;
            x2 = (aa * bb) % P;
            z2 = (e * Mod(aa + (A24 * e))) % P;

            if (set)
            {
                (x2, x3) = (x3, x2);
                (z2, z3) = (z3, z2);
            }
        }

        return z2.IsZero;
    }

    private static BigInteger Mod(BigInteger value)
    {
        var r = value % P;
        return r.Sign < 0 ? r + P : r;
    }
}
