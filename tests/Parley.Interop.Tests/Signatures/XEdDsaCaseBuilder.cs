using System.Numerics;
using System.Security.Cryptography;
using Parley.Crypto.Curve25519;

namespace Parley.Interop.Tests.Signatures;

/// <summary>Builds the differential test's inputs, category by category (TESTPLAN A3).</summary>
internal sealed class XEdDsaCaseBuilder(Random random)
{
    private static readonly BigInteger P = EdwardsPoint.P;
    private static readonly BigInteger L = EdwardsPoint.L;
    private static readonly Lazy<EdwardsPoint> Torsion = new(EdwardsPoint.TorsionGenerator);

    public List<XEdDsaCase> Cases { get; } = [];

    public byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    public byte[] RandomMessage() => RandomBytes(random.Next(0, 200));

    public void Add(string category, byte[] publicKey, byte[] message, byte[] signature, bool? expected) =>
        Cases.Add(new XEdDsaCase(category, publicKey, message, signature, expected));

    /// <summary>A signature from R bytes, a scalar s (below 2^255) and the x-sign bit of the signer's Edwards key.</summary>
    public static byte[] Signature(byte[] r, BigInteger s, int signBit)
    {
        var signature = new byte[64];
        r.CopyTo(signature, 0);
        s.TryWriteBytes(signature.AsSpan(32), out _, isUnsigned: true, isBigEndian: false);
        signature[63] = (byte)((signature[63] & 0x7F) | (signBit << 7));
        return signature;
    }

    public static BigInteger ScalarOf(byte[] signature)
    {
        var s = signature[32..];
        s[31] &= 0x7F;
        return new BigInteger(s, isUnsigned: true, isBigEndian: false);
    }

    public static int SignBitOf(byte[] signature) => signature[63] >> 7;

    public static byte[] PublicKey(BigInteger rawU, bool setBit255 = false)
    {
        var key = new byte[33];
        key[0] = 0x05;
        rawU.TryWriteBytes(key.AsSpan(1), out _, isUnsigned: true, isBigEndian: false);
        if (setBit255)
        {
            key[32] |= 0x80;
        }

        return key;
    }

    /// <summary>h = SHA-512(R ‖ A ‖ M) mod L.</summary>
    public static BigInteger Challenge(byte[] r, byte[] encodedA, byte[] message) =>
        new BigInteger(SHA512.HashData([.. r, .. encodedA, .. message]), isUnsigned: true, isBigEndian: false) % L;

    /// <summary>
    /// A signature that verifies for the key A = a·B + torsion (torsion of order n): R = r·B − (h mod n)·torsion,
    /// s = h·a + r. <paramref name="encodeR"/> picks R's encoding (null: none for this point, try another).
    /// </summary>
    public (byte[] Message, byte[] Signature)? Forge(EdwardsPoint a, int signBit, BigInteger scalar, EdwardsPoint torsion, BigInteger r, Func<EdwardsPoint, byte[]?> encodeR)
    {
        var order = torsion.IsIdentity ? 1 : torsion.SmallOrder();
        var encodedA = a.Encode();
        var rB = EdwardsPoint.Base.Multiply(r);
        var shifted = new EdwardsPoint[order];
        for (var g = 0; g < order; g++)
        {
            shifted[g] = rB.Subtract(torsion.Multiply(g));
        }

        for (var attempt = 0; attempt < 64; attempt++)
        {
            var message = RandomMessage();
            for (var g = 0; g < order; g++)
            {
                if (encodeR(shifted[g]) is not { } rBytes)
                {
                    continue;
                }

                var h = Challenge(rBytes, encodedA, message);
                if ((int)(h % order) == g)
                {
                    return (message, Signature(rBytes, ((h * scalar) + r) % L, signBit));
                }
            }
        }

        return null;
    }

    /// <summary>Encodings of the same point other than the canonical one (y + p when y &lt; 19; a set sign bit when x = 0).</summary>
    public static List<byte[]> NonCanonicalEncodings(EdwardsPoint point)
    {
        var (x, y) = point.Affine();
        var sign = (int)(x & 1);
        var variants = new List<byte[]>();
        if (y < 19)
        {
            variants.Add(EdwardsPoint.EncodeRaw(y + P, sign));
        }

        if (x.IsZero)
        {
            variants.Add(EdwardsPoint.EncodeRaw(y, 1));
            if (y < 19)
            {
                variants.Add(EdwardsPoint.EncodeRaw(y + P, 1));
            }
        }

        return variants;
    }

    /// <summary>A fresh X25519 key as the signer sees it: private bytes, Edwards point, scalar and x-sign bit.</summary>
    public static (byte[] Private, byte[] Public, EdwardsPoint A, BigInteger Scalar, int SignBit) HonestKey()
    {
        var privateKey = X25519.GeneratePrivateKey();
        var scalar = new BigInteger(privateKey, isUnsigned: true, isBigEndian: false);
        var a = EdwardsPoint.Base.Multiply(scalar);
        var publicKey = PublicKey(a.MontgomeryU());
        var expected = X25519.PublicKeyFromPrivate(privateKey);
        if (!expected.AsSpan().SequenceEqual(publicKey.AsSpan(1)))
        {
            throw new InvalidOperationException("The Edwards model disagrees with X25519 on a public key.");
        }

        return (privateKey, publicKey, a, scalar % L, (int)(a.Affine().X & 1));
    }

    /// <summary>The 8-torsion points k·T for k = 1..7.</summary>
    public static IEnumerable<EdwardsPoint> TorsionPoints() => Enumerable.Range(1, 7).Select(k => Torsion.Value.Multiply(k));
}
