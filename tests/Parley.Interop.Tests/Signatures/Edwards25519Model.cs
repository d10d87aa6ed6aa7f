using System.Numerics;

namespace Parley.Interop.Tests.Signatures;

/// <summary>
/// A slow, plain model of edwards25519 (BigInteger, extended coordinates, public data only) used to craft
/// edge-case XEdDSA inputs: low-order and mixed-order keys, r = 0 signatures and non-canonical encodings.
/// It is independent of both implementations under test.
/// </summary>
internal readonly record struct EdwardsPoint(BigInteger X, BigInteger Y, BigInteger Z, BigInteger T)
{
    /// <summary>p = 2^255 − 19.</summary>
    public static readonly BigInteger P = (BigInteger.One << 255) - 19;

    /// <summary>The prime order of the base point.</summary>
    public static readonly BigInteger L = (BigInteger.One << 252) + BigInteger.Parse("27742317777372353535851937790883648493", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly BigInteger D = Mod(-121665 * Inverse(121666));
    private static readonly BigInteger D2 = Mod(2 * D);
    private static readonly BigInteger SqrtMinusOne = BigInteger.ModPow(2, (P - 1) / 4, P);

    public static readonly EdwardsPoint Identity = new(0, 1, 1, 0);

    /// <summary>The base point: y = 4/5, x even.</summary>
    public static readonly EdwardsPoint Base = FromY(Mod(4 * Inverse(5)), 0) ?? throw new InvalidOperationException("base point");

    public static BigInteger Mod(BigInteger value)
    {
        var r = BigInteger.Remainder(value, P);
        return r.Sign < 0 ? r + P : r;
    }

    public static BigInteger Inverse(BigInteger value) => BigInteger.ModPow(Mod(value), P - 2, P);

    /// <summary>
    /// The point with this y and x-sign bit, decompressed the way libsignal's curve library does it:
    /// null when y is not on the curve; x = 0 is accepted whatever the sign bit.
    /// </summary>
    public static EdwardsPoint? FromY(BigInteger y, int signBit)
    {
        y = Mod(y);
        var y2 = y * y % P;
        var u = Mod(y2 - 1);
        var v = Mod(D * y2 + 1);
        var x2 = u * Inverse(v) % P;
        var x = BigInteger.ModPow(x2, (P + 3) / 8, P);
        if (Mod(x * x - x2) != 0)
        {
            x = x * SqrtMinusOne % P;
            if (Mod(x * x - x2) != 0)
            {
                return null;
            }
        }

        if ((int)(x & 1) != signBit)
        {
            x = Mod(-x);
        }

        return new EdwardsPoint(x, y, 1, x * y % P);
    }

    /// <summary>The Edwards point of a Montgomery u with an x-sign bit (birational map); null for u = −1 or off-curve.</summary>
    public static EdwardsPoint? FromMontgomery(BigInteger u, int signBit)
    {
        u = Mod(u);
        return u == P - 1 ? null : FromY(Mod((u - 1) * Inverse(u + 1)), signBit);
    }

    /// <summary>The Montgomery u of this point (undefined for the identity).</summary>
    public BigInteger MontgomeryU()
    {
        var (_, y) = Affine();
        return Mod((1 + y) * Inverse(1 - y));
    }

    public (BigInteger X, BigInteger Y) Affine()
    {
        var zInverse = Inverse(Z);
        return (X * zInverse % P, Y * zInverse % P);
    }

    /// <summary>The canonical 32-byte encoding: y little-endian with the parity of x in bit 255.</summary>
    public byte[] Encode()
    {
        var (x, y) = Affine();
        return EncodeRaw(y, (int)(x & 1));
    }

    /// <summary>Any 255-bit y value with a sign bit, canonical or not.</summary>
    public static byte[] EncodeRaw(BigInteger y, int signBit)
    {
        var bytes = new byte[32];
        y.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        bytes[31] |= (byte)(signBit << 7);
        return bytes;
    }

    public bool IsIdentity
    {
        get
        {
            var (x, y) = Affine();
            return x.IsZero && y.IsOne;
        }
    }

    public EdwardsPoint Add(EdwardsPoint q)
    {
        // Complete twisted Edwards addition (a = −1), extended coordinates.
        var a = Mod((Y - X) * (q.Y - q.X));
        var b = Mod((Y + X) * (q.Y + q.X));
        var c = T * D2 % P * q.T % P;
        var d = 2 * Z * q.Z % P;
        var e = Mod(b - a);
        var f = Mod(d - c);
        var g = Mod(d + c);
        var h = Mod(b + a);
        return new EdwardsPoint(e * f % P, g * h % P, f * g % P, e * h % P);
    }

    public EdwardsPoint Negate() => new(Mod(-X), Y, Z, Mod(-T));

    public EdwardsPoint Subtract(EdwardsPoint q) => Add(q.Negate());

    /// <summary>k·this for k ≥ 0 (double-and-add).</summary>
    public EdwardsPoint Multiply(BigInteger k)
    {
        var result = Identity;
        var addend = this;
        while (!k.IsZero)
        {
            if (!k.IsEven)
            {
                result = result.Add(addend);
            }

            addend = addend.Add(addend);
            k >>= 1;
        }

        return result;
    }

    /// <summary>The smallest n in 1..8 with n·this = identity, or 0 when the point has a prime-order part.</summary>
    public int SmallOrder()
    {
        var acc = this;
        for (var n = 1; n <= 8; n++)
        {
            if (acc.IsIdentity)
            {
                return n;
            }

            acc = acc.Add(this);
        }

        return 0;
    }

    /// <summary>A generator of the 8-torsion subgroup: L·P of a curve point whose torsion part has order 8.</summary>
    public static EdwardsPoint TorsionGenerator()
    {
        for (var y = 2; y < 1000; y++)
        {
            if (FromY(y, 0) is { } point)
            {
                var torsion = point.Multiply(L);
                if (torsion.SmallOrder() == 8)
                {
                    return torsion;
                }
            }
        }

        throw new InvalidOperationException("No point with an order-8 torsion part below y = 1000.");
    }
}
