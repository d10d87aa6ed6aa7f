using System.Numerics;
using System.Security.Cryptography;

namespace Parley.Crypto.Tests.Vectors.Support;

/// <summary>
/// A slow, independent model of edwards25519 in <see cref="BigInteger"/> arithmetic, used only as a test oracle:
/// it states libsignal's XEdDSA verification rules (PROTOCOL.md §3.2) directly, without libsodium.
/// Points are affine (x, y) on −x² + y² = 1 + d·x²·y² over GF(2^255 − 19).
/// </summary>
internal static class EdwardsReference
{
    public static readonly BigInteger P = (BigInteger.One << 255) - 19;
    public static readonly BigInteger L = (BigInteger.One << 252) + BigInteger.Parse("27742317777372353535851937790883648493", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly BigInteger D = Mod(-121665 * Inverse(121666));
    private static readonly BigInteger SqrtMinusOne = BigInteger.ModPow(2, (P - 1) / 4, P);
    private static readonly (BigInteger X, BigInteger Y) Identity = (0, 1);
    private static readonly (BigInteger X, BigInteger Y) Base = Decompress(Mod(4 * Inverse(5)), 0)!.Value;

    // 2^i·B for i < 253, so [s]B costs only additions.
    private static readonly (BigInteger X, BigInteger Y, BigInteger Z, BigInteger T)[] BasePowers = PowersOfTwo(Base, 253);

    /// <summary>
    /// XEdDSA verification as libsignal defines it: u with bit 255 cleared; u = −1 rejected; A = decompress((u−1)/(u+1),
    /// sign bit of sig[63]); s with bit 255 cleared must be below 2^253 and is reduced mod L; h = SHA-512(R ‖ enc(A) ‖ M)
    /// mod L; accept iff enc([s]B − [h]A) equals R byte for byte.
    /// </summary>
    public static bool XEdDsaVerify(ReadOnlySpan<byte> montgomeryU, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        var uBytes = montgomeryU.ToArray();
        uBytes[31] &= 0x7F;
        var u = Mod(new BigInteger(uBytes, isUnsigned: true));
        if (u == P - 1)
        {
            return false;
        }

        var a = Decompress(Mod((u - 1) * Inverse(u + 1)), signature[63] >> 7);
        if (a is null)
        {
            return false;
        }

        var sBytes = signature[32..].ToArray();
        sBytes[31] &= 0x7F;
        if ((sBytes[31] & 0xE0) != 0)
        {
            return false;
        }

        var s = new BigInteger(sBytes, isUnsigned: true) % L;
        var digest = SHA512.HashData([.. signature[..32], .. Encode(a.Value), .. message]);
        var h = new BigInteger(digest, isUnsigned: true) % L;
        var check = Add(MultiplyBase(s), Negate(Multiply(h, a.Value)));
        return Encode(check).AsSpan().SequenceEqual(signature[..32]);
    }

    /// <summary>The Montgomery u = (1 + y)/(1 − y) of an Edwards encoding, or null for y = 1 (the identity has none).</summary>
    public static byte[]? MontgomeryUFromEdwards(ReadOnlySpan<byte> encoded)
    {
        var bytes = encoded.ToArray();
        bytes[31] &= 0x7F;
        var y = Mod(new BigInteger(bytes, isUnsigned: true));
        if (y == 1)
        {
            return null;
        }

        var u = Mod((1 + y) * Inverse(1 - y));
        var result = new byte[32];
        u.TryWriteBytes(result, out _, isUnsigned: true);
        return result;
    }

    private static (BigInteger X, BigInteger Y)? Decompress(BigInteger y, int sign)
    {
        // x² = (y² − 1) / (d·y² + 1); p ≡ 5 (mod 8), so a square root is a^((p+3)/8), times √−1 if needed.
        var x2 = Mod((y * y - 1) * Inverse(D * y * y + 1));
        var x = BigInteger.ModPow(x2, (P + 3) / 8, P);
        if (Mod(x * x - x2) != 0)
        {
            x = Mod(x * SqrtMinusOne);
        }

        if (Mod(x * x - x2) != 0)
        {
            return null;
        }

        if ((int)(x & 1) != sign)
        {
            x = Mod(-x);
        }

        return (x, y);
    }

    private static byte[] Encode((BigInteger X, BigInteger Y) point)
    {
        var bytes = new byte[32];
        point.Y.TryWriteBytes(bytes, out _, isUnsigned: true);
        bytes[31] |= (byte)((int)(point.X & 1) << 7);
        return bytes;
    }

    private static (BigInteger X, BigInteger Y) Add((BigInteger X, BigInteger Y) p, (BigInteger X, BigInteger Y) q) =>
        ToAffine(AddExtended(ToExtended(p), ToExtended(q)));

    private static (BigInteger X, BigInteger Y) Negate((BigInteger X, BigInteger Y) p) => (Mod(-p.X), p.Y);

    private static (BigInteger X, BigInteger Y) Multiply(BigInteger scalar, (BigInteger X, BigInteger Y) point)
    {
        var addend = ToExtended(point);
        var result = ToExtended(Identity);
        for (var bit = (int)scalar.GetBitLength() - 1; bit >= 0; bit--)
        {
            result = AddExtended(result, result);
            if (!(scalar >> bit).IsEven)
            {
                result = AddExtended(result, addend);
            }
        }

        return ToAffine(result);
    }

    private static (BigInteger X, BigInteger Y) MultiplyBase(BigInteger scalar)
    {
        var result = ToExtended(Identity);
        for (var bit = 0; bit < BasePowers.Length; bit++)
        {
            if (!(scalar >> bit).IsEven)
            {
                result = AddExtended(result, BasePowers[bit]);
            }
        }

        return ToAffine(result);
    }

    private static (BigInteger X, BigInteger Y, BigInteger Z, BigInteger T)[] PowersOfTwo((BigInteger X, BigInteger Y) point, int count)
    {
        var powers = new (BigInteger X, BigInteger Y, BigInteger Z, BigInteger T)[count];
        powers[0] = ToExtended(point);
        for (var i = 1; i < count; i++)
        {
            powers[i] = AddExtended(powers[i - 1], powers[i - 1]);
        }

        return powers;
    }

    // Extended coordinates (X : Y : Z : T) with x = X/Z, y = Y/Z, T = XY/Z. The unified addition law for a = −1
    // (Hisil–Wong–Carter–Dawson 2008) is complete on this curve because d is not a square, so it also doubles.
    private static (BigInteger X, BigInteger Y, BigInteger Z, BigInteger T) AddExtended(
        (BigInteger X, BigInteger Y, BigInteger Z, BigInteger T) p, (BigInteger X, BigInteger Y, BigInteger Z, BigInteger T) q)
    {
        var a = Mod((p.Y - p.X) * (q.Y - q.X));
        var b = Mod((p.Y + p.X) * (q.Y + q.X));
        var c = Mod(2 * D * p.T % P * q.T);
        var d = Mod(2 * p.Z * q.Z);
        BigInteger e = b - a, f = d - c, g = d + c, h = b + a;
        return (Mod(e * f), Mod(g * h), Mod(f * g), Mod(e * h));
    }

    private static (BigInteger X, BigInteger Y, BigInteger Z, BigInteger T) ToExtended((BigInteger X, BigInteger Y) p) =>
        (p.X, p.Y, 1, Mod(p.X * p.Y));

    private static (BigInteger X, BigInteger Y) ToAffine((BigInteger X, BigInteger Y, BigInteger Z, BigInteger T) p)
    {
        var zInverse = Inverse(p.Z);
        return (Mod(p.X * zInverse), Mod(p.Y * zInverse));
    }

    private static BigInteger Inverse(BigInteger a) => BigInteger.ModPow(Mod(a), P - 2, P);

    private static BigInteger Mod(BigInteger a)
    {
        var r = a % P;
        return r.Sign < 0 ? r + P : r;
    }
}
