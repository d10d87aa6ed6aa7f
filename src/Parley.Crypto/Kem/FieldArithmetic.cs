namespace Parley.Crypto.Kem;

/// <summary>
/// Arithmetic in Z_q (q = 3329) on 16-bit signed representatives, without branches or table look-ups,
/// so the running time does not depend on secret coefficients.
/// </summary>
/// <remarks>
/// Multiplication uses Montgomery reduction with R = 2^16: <see cref="MontgomeryMultiply"/> returns a·b·R⁻¹ mod q.
/// The NTT keeps its twiddle factors pre-multiplied by R, so those products come out in the plain domain.
/// </remarks>
internal static class FieldArithmetic
{
    private const int Q = KemParameters.Q;

    /// <summary>q⁻¹ mod 2^16 (3329 · 62209 ≡ 1), as a signed 16-bit value.</summary>
    private const int QInverse = -3327;

    /// <summary>round(2^26 / q), for Barrett reduction of 16-bit values.</summary>
    private const int BarrettMultiplier = ((1 << 26) + (Q / 2)) / Q;

    /// <summary>R mod q, with R = 2^16.</summary>
    internal const int MontgomeryR = (1 << 16) % Q;

    /// <summary>R² mod q: Montgomery-multiplying by it converts a value into the Montgomery domain.</summary>
    internal const int MontgomeryRSquared = (int)((1L << 32) % Q);

    /// <summary>a·R⁻¹ mod q, in (−q, q), for |a| &lt; q·2^15.</summary>
    internal static short MontgomeryReduce(int a)
    {
        var t = (short)(a * QInverse);
        return (short)((a - (t * Q)) >> 16);
    }

    /// <summary>a·b·R⁻¹ mod q, in (−q, q).</summary>
    internal static short MontgomeryMultiply(short a, short b) => MontgomeryReduce(a * b);

    /// <summary>A representative of a mod q in [−(q−1)/2, (q−1)/2] for any 16-bit a.</summary>
    internal static short BarrettReduce(short a)
    {
        var t = ((BarrettMultiplier * a) + (1 << 25)) >> 26;
        return (short)(a - (t * Q));
    }

    /// <summary>Maps a value in (−q, q) to [0, q).</summary>
    internal static short AddQIfNegative(short a) => (short)(a + ((a >> 15) & Q));

    /// <summary>Maps a value in [0, 2q) to [0, q).</summary>
    internal static short SubtractQIfAtLeastQ(short a) => AddQIfNegative((short)(a - Q));

    /// <summary>Any 16-bit value to its canonical representative in [0, q).</summary>
    internal static short Canonical(short a) => AddQIfNegative(BarrettReduce(a));
}
