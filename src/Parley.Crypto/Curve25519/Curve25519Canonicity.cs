using Parley.Crypto.Sodium;

namespace Parley.Crypto.Curve25519;

/// <summary>
/// The base-key canonicity check of PROTOCOL.md §2.1: the u-coordinate is a canonical field element
/// (below 2^255 − 19, bit 255 clear), lies on Curve25519 rather than its twist, has an Edwards form
/// (u ≠ −1), and its Edwards point (sign 0) lies in the prime-order subgroup.
/// </summary>
/// <remarks>
/// Only public keys are checked, so variable-time arithmetic (<see cref="PublicFieldElement"/>) is fine.
/// u is mapped to y = (u − 1)/(u + 1); libsodium's point validation then rejects a y with no x (u on the twist),
/// the small-order points and every point outside the prime-order subgroup (it multiplies by L).
/// </remarks>
internal static unsafe class Curve25519Canonicity
{
    // p − 1, little-endian.
    private static ReadOnlySpan<byte> PMinusOne =>
    [
        0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
    ];

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

        Span<byte> y = stackalloc byte[32];
        var point = PublicFieldElement.FromBytes(u);
        ((point - PublicFieldElement.One) * (point + PublicFieldElement.One).Invert()).ToBytes(y);
        SodiumLibrary.EnsureInitialised();
        fixed (byte* encoded = y)
        {
            return SodiumNative.crypto_core_ed25519_is_valid_point(encoded) == 1;
        }
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
}
