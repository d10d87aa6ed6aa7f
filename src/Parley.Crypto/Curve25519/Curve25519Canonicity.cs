namespace Parley.Crypto.Curve25519;

/// <summary>
/// The base-key canonicity check of PROTOCOL.md §2.1: the u-coordinate is a canonical field element
/// (below 2^255 − 19, bit 255 clear), lies on Curve25519 rather than its twist, has an Edwards form
/// (u ≠ −1), and generates the prime-order subgroup ([L]·P is the point at infinity, which also rules out
/// the twist).
/// </summary>
/// <remarks>
/// Only public keys are checked, so variable-time arithmetic (<see cref="PublicFieldElement"/>) is fine.
/// The subgroup test runs an x-only Montgomery ladder over the 253 bits of L.
/// </remarks>
internal static class Curve25519Canonicity
{
    // L = 2^252 + 27742317777372353535851937790883648493, little-endian.
    private static ReadOnlySpan<byte> Order =>
    [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
    ];

    // p − 1, little-endian.
    private static ReadOnlySpan<byte> PMinusOne =>
    [
        0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
    ];

    private static readonly PublicFieldElement A24 = PublicFieldElement.FromUInt64(121665);

    public static bool IsCanonical(ReadOnlySpan<byte> u)
    {
        if (u.Length != 32 || (u[31] & 0x80) != 0 || !IsBelowP(u))
        {
            return false;
        }

        if (!u.ContainsAnyExcept((byte)0) || u.SequenceEqual(PMinusOne))
        {
            // u = 0 is the point of order 2; u = −1 has no Edwards form.
            return false;
        }

        // A twist point fails here too: the twist's group order is 4·p′ with p′ prime and ≠ L, so [L]·P is the point
        // at infinity only for points of the curve's prime-order subgroup (and u = 0 was excluded above).
        return OrderTimesPointIsInfinity(PublicFieldElement.FromBytes(u));
    }

    /// <summary>u &lt; 2^255 − 19 for a 32-byte little-endian value with bit 255 clear.</summary>
    private static bool IsBelowP(ReadOnlySpan<byte> u)
    {
        // Values ≥ p are 0x7fff…ffed … 0x7fff…ffff: top byte 0x7f, bytes 1..30 all 0xff, byte 0 ≥ 0xed.
        if (u[31] != 0x7F || u[0] < 0xED)
        {
            return true;
        }

        return u[1..31].ContainsAnyExcept((byte)0xFF);
    }

    private static bool OrderTimesPointIsInfinity(PublicFieldElement x1)
    {
        PublicFieldElement x2 = PublicFieldElement.One, z2 = PublicFieldElement.Zero, x3 = x1, z3 = PublicFieldElement.One;
        for (var bit = 252; bit >= 0; bit--)
        {
            var set = ((Order[bit / 8] >> (bit % 8)) & 1) != 0;
            if (set)
            {
                (x2, x3) = (x3, x2);
                (z2, z3) = (z3, z2);
            }

            var a = x2 + z2;
            var aa = a.Square();
            var b = x2 - z2;
            var bb = b.Square();
            var e = aa - bb;
            var c = x3 + z3;
            var d = x3 - z3;
            var da = d * a;
            var cb = c * b;
            x3 = (da + cb).Square();
            z3 = x1 * (da - cb).Square();
            x2 = aa * bb;
            z2 = e * (aa + (A24 * e));

            if (set)
            {
                (x2, x3) = (x3, x2);
                (z2, z3) = (z3, z2);
            }
        }

        return z2.IsZero();
    }
}
