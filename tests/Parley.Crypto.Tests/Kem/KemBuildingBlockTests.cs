using System.Security.Cryptography;
using Parley.Crypto.Kem;

namespace Parley.Crypto.Tests.Kem;

/// <summary>
/// The KEM's internal arithmetic against plain definitions: modular reductions, Compress/Decompress, the NTT as a
/// negacyclic multiplier, bit packing, the SampleNTT long-stream path, and the constant-time select.
/// </summary>
public sealed class KemBuildingBlockTests
{
    private const int Q = KemParameters.Q;
    private const int N = KemParameters.N;

    [Fact]
    public void Barrett_reduction_is_congruent_and_centred_for_every_16_bit_input()
    {
        for (int a = short.MinValue; a <= short.MaxValue; a++)
        {
            var r = FieldArithmetic.BarrettReduce((short)a);
            Assert.True(Mod(r) == Mod(a) && Math.Abs((int)r) <= Q / 2, $"Barrett({a}) = {r}");
            var c = FieldArithmetic.Canonical((short)a);
            Assert.True(c >= 0 && c < Q && c == Mod(a), $"Canonical({a}) = {c}");
        }
    }

    [Fact]
    public void Montgomery_reduction_divides_by_two_to_the_16_mod_q()
    {
        var rInverse = ModPow(1 << 16, Q - 2);
        var random = new Random(1);
        for (var i = 0; i < 200_000; i++)
        {
            var a = random.Next(-Q * (1 << 15) + 1, Q * (1 << 15));
            var r = FieldArithmetic.MontgomeryReduce(a);
            Assert.True(Math.Abs((int)r) < Q && Mod(r) == Mod((long)Mod(a) * rInverse), $"MontgomeryReduce({a}) = {r}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(11)]
    public void Compress_and_decompress_round_exactly_for_every_input(int bits)
    {
        for (var x = 0; x < Q; x++)
        {
            // round(2^d·x / q) with ties up, in integers: floor((2^(d+1)·x + q) / 2q).
            var expected = ((((long)x << (bits + 1)) + Q) / (2 * Q)) % (1 << bits);
            Assert.Equal(expected, PolynomialEncoding.Compress((short)x, bits));
        }

        for (var y = 0; y < 1 << bits; y++)
        {
            var expected = ((2L * Q * y) + (1 << bits)) / (1 << (bits + 1));
            Assert.Equal(expected, PolynomialEncoding.Decompress((short)y, bits));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(11)]
    [InlineData(12)]
    public void Bit_packing_round_trips(int bits)
    {
        var random = new Random(bits);
        var values = new short[N];
        for (var i = 0; i < N; i++)
        {
            values[i] = (short)random.Next(0, 1 << bits);
        }

        var bytes = new byte[32 * bits];
        PolynomialEncoding.Encode(values, bits, bytes);
        var decoded = new short[N];
        PolynomialEncoding.Decode(bytes, bits, decoded);
        Assert.Equal(values, decoded);
    }

    [Fact]
    public void Ntt_product_equals_the_schoolbook_negacyclic_product()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 50; trial++)
        {
            var a = RandomPolynomial(random);
            var b = RandomPolynomial(random);
            var expected = new long[N];
            for (var i = 0; i < N; i++)
            {
                for (var j = 0; j < N; j++)
                {
                    // X^256 = −1
                    var k = i + j;
                    var term = (long)a[i] * b[j];
                    expected[k % N] += k < N ? term : -term;
                }
            }

            var aHat = (short[])a.Clone();
            var bHat = (short[])b.Clone();
            Ntt.Forward(aHat);
            Ntt.Forward(bHat);
            // MultiplyAccumulate expects its first input below 2^12 in magnitude: use the canonical form.
            for (var i = 0; i < N; i++)
            {
                aHat[i] = FieldArithmetic.Canonical(aHat[i]);
            }

            var product = new short[N];
            Ntt.MultiplyAccumulate(product, aHat, bHat);
            for (var i = 0; i < N; i++)
            {
                product[i] = FieldArithmetic.BarrettReduce(product[i]);
            }

            Ntt.Inverse(product);
            for (var i = 0; i < N; i++)
            {
                Assert.Equal(Mod(expected[i]), Mod(product[i]));
            }
        }
    }

    [Fact]
    public void Inverse_of_forward_is_the_identity_times_R()
    {
        var random = new Random(3);
        const int r = (1 << 16) % Q;
        for (var trial = 0; trial < 100; trial++)
        {
            var f = RandomPolynomial(random);
            var g = (short[])f.Clone();
            Ntt.Forward(g);
            Ntt.Inverse(g);
            for (var i = 0; i < N; i++)
            {
                Assert.Equal(Mod((long)f[i] * r), Mod(g[i]));
            }
        }
    }

    [Fact]
    public void SampleNtt_reading_a_longer_stream_gives_the_same_polynomial()
    {
        // Starting from a single SHAKE128 block forces the "stream ran out" path every time.
        for (var trial = 0; trial < 50; trial++)
        {
            var rho = RandomNumberGenerator.GetBytes(32);
            var usual = new short[N];
            var extended = new short[N];
            Sampling.SampleNtt(rho, (byte)(trial % 4), (byte)(trial / 4 % 4), usual);
            Sampling.SampleNtt(rho, (byte)(trial % 4), (byte)(trial / 4 % 4), extended, initialXofBytes: 168);
            Assert.Equal(usual, extended);
            Assert.All(usual, c => Assert.InRange(c, (short)0, (short)(Q - 1)));
        }
    }

    [Fact]
    public void Centered_binomial_sampling_stays_within_two()
    {
        var noise = RandomNumberGenerator.GetBytes(KemParameters.NoiseBytes);
        var f = new short[N];
        Sampling.SampleCenteredBinomial2(noise, f);
        Assert.All(f, c => Assert.InRange(c, (short)-2, (short)2));
        Sampling.SampleCenteredBinomial2(Enumerable.Repeat((byte)0x33, KemParameters.NoiseBytes).ToArray(), f);
        Assert.All(f, c => Assert.Equal(2, c)); // bits 1,1,0,0 per nibble: (1+1) − (0+0)
    }

    [Fact]
    public void Difference_mask_and_select_are_exact()
    {
        var a = RandomNumberGenerator.GetBytes(1568);
        var b = (byte[])a.Clone();
        Assert.Equal(0x00, ConstantTime.DifferenceMask(a, b));
        b[1567] ^= 0x80;
        Assert.Equal(0xFF, ConstantTime.DifferenceMask(a, b));
        var set = RandomNumberGenerator.GetBytes(32);
        var clear = RandomNumberGenerator.GetBytes(32);
        var destination = new byte[32];
        ConstantTime.Select(0xFF, set, clear, destination);
        Assert.Equal(set, destination);
        ConstantTime.Select(0x00, set, clear, destination);
        Assert.Equal(clear, destination);
    }

    private static short[] RandomPolynomial(Random random)
    {
        var f = new short[N];
        for (var i = 0; i < N; i++)
        {
            f[i] = (short)random.Next(-(Q - 1) / 2, (Q + 1) / 2);
        }

        return f;
    }

    private static int Mod(long a) => (int)(((a % Q) + Q) % Q);

    private static int ModPow(long b, int e)
    {
        long result = 1;
        b %= Q;
        for (; e > 0; e >>= 1)
        {
            if ((e & 1) == 1)
            {
                result = result * b % Q;
            }

            b = b * b % Q;
        }

        return (int)result;
    }
}
