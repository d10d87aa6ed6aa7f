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
