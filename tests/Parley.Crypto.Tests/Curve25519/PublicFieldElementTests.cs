using System.Numerics;
using Parley.Crypto.Curve25519;

namespace Parley.Crypto.Tests.Curve25519;

public sealed class PublicFieldElementTests
{
    private static readonly BigInteger P = (BigInteger.One << 255) - 19;

    [Fact]
    public void Arithmetic_matches_BigInteger_modulo_p()
    {
        var random = new Random(5);
        var edge = new[] { BigInteger.Zero, BigInteger.One, P - 1, P - 2, (BigInteger.One << 255) - 20, (BigInteger.One << 254) };
        for (var i = 0; i < 2_000; i++)
        {
            var a = i < edge.Length ? edge[i] : RandomBelowP(random);
            var b = i < edge.Length ? edge[edge.Length - 1 - i] : RandomBelowP(random);
            var fa = PublicFieldElement.FromBytes(ToBytes(a));
            var fb = PublicFieldElement.FromBytes(ToBytes(b));
            Assert.Equal(ToBytes((a * b) % P), Bytes(fa * fb));
            Assert.Equal(ToBytes((a + b) % P), Bytes(fa + fb));
            Assert.Equal(ToBytes((((a - b) % P) + P) % P), Bytes(fa - fb));
            Assert.Equal(ToBytes(a * a % P), Bytes(fa.Square()));
        }
    }

    [Fact]
    public void Inverse_matches_BigInteger_modular_inverse_and_maps_zero_to_zero()
    {
        var random = new Random(7);
        var edge = new[] { BigInteger.Zero, BigInteger.One, P - 1, P - 2, 2, (BigInteger.One << 254) };
        for (var i = 0; i < 500; i++)
        {
            var a = i < edge.Length ? edge[i] : RandomBelowP(random);
            var expected = a.IsZero ? BigInteger.Zero : BigInteger.ModPow(a, P - 2, P);
            Assert.Equal(ToBytes(expected), Bytes(PublicFieldElement.FromBytes(ToBytes(a)).Invert()));
        }

        // Unreduced input (p ≤ value < 2^255) is the same field element as value − p.
        var unreduced = (BigInteger.One << 255) - 1;
        Assert.Equal(ToBytes(BigInteger.ModPow(unreduced - P, P - 2, P)), Bytes(PublicFieldElement.FromBytes(ToBytes(unreduced)).Invert()));
    }

    private static byte[] Bytes(PublicFieldElement value)
    {
        var bytes = new byte[32];
        value.ToBytes(bytes);
        return bytes;
    }

    private static BigInteger RandomBelowP(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        bytes[31] &= 0x7F;
        return new BigInteger(bytes, isUnsigned: true) % P;
    }

    private static byte[] ToBytes(BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: false);
        Array.Resize(ref bytes, 32);
        return bytes;
    }
}
