namespace Parley.Crypto.Kem;

/// <summary>
/// The number-theoretic transform of FIPS 203 §4.3 (Algorithms 9–12) on 256-coefficient polynomials.
/// </summary>
/// <remarks>
/// ζ = 17 is a primitive 256th root of unity mod q. The twiddle factors ζ^BitRev7(i) and the base-case
/// factors ζ^(2·BitRev7(i)+1) are computed once from ζ (public constants) and stored times R = 2^16,
/// so a Montgomery multiplication by them is an ordinary multiplication mod q.
/// Domains: <see cref="Forward"/> maps plain → plain NTT domain; <see cref="MultiplyAccumulate"/> adds
/// a·b·R⁻¹; <see cref="Inverse"/> multiplies by R/128 on top of the inverse butterflies, which cancels
/// that R⁻¹ and the 1/128 of the inverse transform together.
/// </remarks>
internal static class Ntt
{
    private const int Q = KemParameters.Q;
    private const int Zeta = 17;

    private static readonly short[] Twiddles = new short[128];
    private static readonly short[] BaseCaseFactors = new short[128];

    /// <summary>R²/128 mod q: the final scaling of the inverse transform (see the class remarks).</summary>
    private static readonly short InverseScale;

    static Ntt()
    {
        for (var i = 0; i < 128; i++)
        {
            Twiddles[i] = ToMontgomeryCentered(Power(Zeta, BitReverse7(i)));
            BaseCaseFactors[i] = ToMontgomeryCentered(Power(Zeta, (2 * BitReverse7(i)) + 1));
        }

        var inverseOf128 = Power(128, Q - 2);
        InverseScale = Centered(FieldArithmetic.MontgomeryRSquared * inverseOf128 % Q);
    }

    /// <summary>In place: f → NTT(f). Input coefficients |f| ≤ q; output reduced to |f̂| ≤ q/2.</summary>
    internal static void Forward(Span<short> f)
    {
        var k = 1;
        for (var length = 128; length >= 2; length >>= 1)
        {
            for (var start = 0; start < KemParameters.N; start += 2 * length)
            {
                var zeta = Twiddles[k++];
                for (var j = start; j < start + length; j++)
                {
                    var t = FieldArithmetic.MontgomeryMultiply(zeta, f[j + length]);
                    f[j + length] = (short)(f[j] - t);
                    f[j] = (short)(f[j] + t);
                }
            }
        }

        // Each of the 7 layers grows |f| by less than q, so |f| < 8q here: still a valid 16-bit value.
        for (var j = 0; j < KemParameters.N; j++)
        {
            f[j] = FieldArithmetic.BarrettReduce(f[j]);
        }
    }

    /// <summary>In place: f̂ → NTT⁻¹(f̂)·R (see the class remarks). Input |f̂| ≤ q/2; output |f| &lt; q.</summary>
    internal static void Inverse(Span<short> f)
    {
        var k = 127;
        for (var length = 2; length <= 128; length <<= 1)
        {
            for (var start = 0; start < KemParameters.N; start += 2 * length)
            {
                var zeta = Twiddles[k--];
                for (var j = start; j < start + length; j++)
                {
                    var t = f[j];
                    f[j] = FieldArithmetic.BarrettReduce((short)(t + f[j + length]));
                    f[j + length] = FieldArithmetic.MontgomeryMultiply(zeta, (short)(f[j + length] - t));
                }
            }
        }

        for (var j = 0; j < KemParameters.N; j++)
        {
            f[j] = FieldArithmetic.MontgomeryMultiply(f[j], InverseScale);
        }
    }

    /// <summary>
    /// accumulator += â ∘ b̂ · R⁻¹ (MultiplyNTTs, FIPS 203 Algorithm 11, with BaseCaseMultiply per pair).
    /// Each call adds less than 2q per coefficient, so up to four calls fit before a reduction.
    /// Inputs: |â| &lt; 2^12, |b̂| ≤ q/2.
    /// </summary>
    internal static void MultiplyAccumulate(Span<short> accumulator, ReadOnlySpan<short> a, ReadOnlySpan<short> b)
    {
        for (var i = 0; i < 128; i++)
        {
            int a0 = a[2 * i], a1 = a[(2 * i) + 1];
            int b0 = b[2 * i], b1 = b[(2 * i) + 1];
            var high = FieldArithmetic.MontgomeryReduce(a1 * b1);
            var c0 = FieldArithmetic.MontgomeryMultiply(high, BaseCaseFactors[i]) + FieldArithmetic.MontgomeryReduce(a0 * b0);
            var c1 = FieldArithmetic.MontgomeryReduce(a0 * b1) + FieldArithmetic.MontgomeryReduce(a1 * b0);
            accumulator[2 * i] = (short)(accumulator[2 * i] + c0);
            accumulator[(2 * i) + 1] = (short)(accumulator[(2 * i) + 1] + c1);
        }
    }

    private static int BitReverse7(int value)
    {
        var result = 0;
        for (var bit = 0; bit < 7; bit++)
        {
            result |= ((value >> bit) & 1) << (6 - bit);
        }

        return result;
    }

    private static int Power(int value, int exponent)
    {
        long result = 1, b = value % Q;
        for (var e = exponent; e > 0; e >>= 1)
        {
            if ((e & 1) == 1)
            {
                result = result * b % Q;
            }

            b = b * b % Q;
        }

        return (int)result;
    }

    private static short ToMontgomeryCentered(int value) => Centered((int)((long)value * FieldArithmetic.MontgomeryR % Q));

    private static short Centered(int value) => (short)(value > Q / 2 ? value - Q : value);
}
