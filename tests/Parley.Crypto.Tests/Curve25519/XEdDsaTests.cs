using System.Diagnostics;
using System.Numerics;
using System.Security.Cryptography;
using Parley.Crypto.Curve25519;
using Parley.Crypto.Tests.Vectors.Support;
using Xunit.Abstractions;

namespace Parley.Crypto.Tests.Curve25519;

/// <summary>
/// TESTPLAN A3: XEdDSA as libsignal does it — random sign→verify at volume, and each acceptance rule of
/// PROTOCOL.md §3.2 on a hand-built signature. <see cref="EdwardsReference"/> is an independent BigInteger model
/// of the same rules.
/// </summary>
public sealed class XEdDsaTests(ITestOutputHelper output)
{
    private static readonly BigInteger L = EdwardsReference.L;

    // An edwards25519 point of order 8 (C2SP CCTV ed25519/README.md lists the low-order encodings).
    private static readonly byte[] OrderEightPoint = Convert.FromHexString("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a");

    [Fact]
    public void Random_keys_and_messages_sign_and_verify()
    {
        // TESTPLAN A3: 10^5 in every run (about 15 s); PARLEY_LONG_TESTS=1: 10^6.
        var count = LongTests.Enabled ? 1_000_000 : 100_000;
        var random = new Random(20261122);
        var stopwatch = Stopwatch.StartNew();
        var failures = 0;
        for (var i = 0; i < count; i++)
        {
            var privateKey = X25519.GeneratePrivateKey();
            var publicKey = X25519.PublicKeyFromPrivate(privateKey);
            var message = new byte[random.Next(0, 200)];
            random.NextBytes(message);
            if (!XEdDsa.Verify(publicKey, message, XEdDsa.Sign(privateKey, message)))
            {
                failures++;
            }
        }

        stopwatch.Stop();
        output.WriteLine($"XEdDSA sign+verify: {count} pairs in {stopwatch.Elapsed.TotalSeconds:F1} s ({stopwatch.Elapsed.TotalMicroseconds / count:F0} µs per pair){(LongTests.Enabled ? "" : "; 10^5 with " + LongTests.Variable + "=1")}");
        Assert.Equal(0, failures);
    }

    [Fact]
    public void Verdicts_agree_with_the_reference_model_on_valid_and_bit_flipped_signatures()
    {
        var random = new Random(5);
        for (var i = 0; i < 60; i++)
        {
            var privateKey = X25519.GeneratePrivateKey();
            var publicKey = X25519.PublicKeyFromPrivate(privateKey);
            var message = RandomNumberGenerator.GetBytes(random.Next(0, 64));
            var signature = XEdDsa.Sign(privateKey, message);
            Assert.True(EdwardsReference.XEdDsaVerify(publicKey, message, signature));
            signature[random.Next(64)] ^= (byte)(1 << random.Next(8));
            Assert.Equal(EdwardsReference.XEdDsaVerify(publicKey, message, signature), XEdDsa.Verify(publicKey, message, signature));
        }
    }

    [Fact]
    public void Unreduced_s_plus_L_is_accepted()
    {
        var (publicKey, message, signature) = FreshSignature(sBelow: (BigInteger.One << 253) - L);
        var sPlusL = WithS(signature, S(signature) + L);
        Assert.True(S(sPlusL) < BigInteger.One << 253);
        Assert.True(XEdDsa.Verify(publicKey, message, sPlusL));
        Assert.True(EdwardsReference.XEdDsaVerify(publicKey, message, sPlusL));
    }

    [Fact]
    public void S_at_or_above_two_to_the_253_is_rejected_even_when_it_reduces_to_the_right_value()
    {
        var (publicKey, message, signature) = FreshSignature();
        var sPlus2L = WithS(signature, S(signature) + (2 * L)); // ≡ s (mod L), but ≥ 2^253
        Assert.True(S(sPlus2L) >= BigInteger.One << 253);
        Assert.False(XEdDsa.Verify(publicKey, message, sPlus2L));
        Assert.True(XEdDsa.Verify(publicKey, message, signature));
    }

    [Fact]
    public void R_must_be_the_canonical_encoding_of_the_recomputed_point()
    {
        // A signature whose R is the identity: s = h·a, so s·B − h·A is the identity. The canonical encoding
        // (y = 1) verifies; the two non-canonical encodings of the same point (x = −0, and y = p + 1) do not.
        var privateKey = X25519.GeneratePrivateKey();
        var publicKey = X25519.PublicKeyFromPrivate(privateKey);
        var message = "identity R"u8.ToArray();
        var canonical = Convert.FromHexString("0100000000000000000000000000000000000000000000000000000000000000");
        var negativeZeroX = Convert.FromHexString("0100000000000000000000000000000000000000000000000000000000000080");
        var yPlusP = Convert.FromHexString("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        Assert.True(XEdDsa.Verify(publicKey, message, SignWithR(privateKey, message, canonical)));
        Assert.False(XEdDsa.Verify(publicKey, message, SignWithR(privateKey, message, negativeZeroX)));
        Assert.False(XEdDsa.Verify(publicKey, message, SignWithR(privateKey, message, yPlusP)));
        Assert.False(EdwardsReference.XEdDsaVerify(publicKey, message, SignWithR(privateKey, message, yPlusP)));
    }

    [Fact]
    public void U_equal_to_minus_one_is_rejected()
    {
        var (_, message, signature) = FreshSignature();
        var minusOne = Convert.FromHexString("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        Assert.False(XEdDsa.Verify(minusOne, message, signature));
        var minusOneWithTopBit = (byte[])minusOne.Clone();
        minusOneWithTopBit[31] |= 0x80;
        Assert.False(XEdDsa.Verify(minusOneWithTopBit, message, signature));
    }

    [Fact]
    public void Bit_255_of_u_is_ignored()
    {
        var (publicKey, message, signature) = FreshSignature();
        var withTopBit = (byte[])publicKey.Clone();
        withTopBit[31] |= 0x80;
        Assert.True(XEdDsa.Verify(withTopBit, message, signature));
    }

    [Fact]
    public void Low_order_and_mixed_order_public_keys_verify_without_crashing_and_match_the_model()
    {
        var uOne = new byte[32];
        uOne[0] = 1;
        var keys = new List<byte[]>
        {
            new byte[32],                                                 // u = 0: A = (0, −1), order 2
            uOne,                                                         // u = 1: y = 0, order 4
            EdwardsReference.MontgomeryUFromEdwards(OrderEightPoint)!,    // order 8
        };

        // A mixed-order key: a·B + T8 (prime-order part plus an order-8 component).
        var privateKey = X25519.GeneratePrivateKey();
        var edwards = new byte[32];
        Ed25519Arithmetic.MultiplyBase(privateKey, edwards);
        var minusT8 = (byte[])OrderEightPoint.Clone();
        minusT8[31] ^= 0x80;
        var mixed = new byte[32];
        Assert.True(Ed25519Arithmetic.TrySubtract(edwards, minusT8, mixed));
        keys.Add(EdwardsReference.MontgomeryUFromEdwards(mixed)!);

        var random = new Random(8);
        foreach (var key in keys)
        {
            for (var i = 0; i < 8; i++)
            {
                var message = RandomNumberGenerator.GetBytes(16);
                // Signatures by the prime-order part of the mixed key, and random 64-byte strings.
                var signature = i % 2 == 0 ? XEdDsa.Sign(privateKey, message) : RandomNumberGenerator.GetBytes(64);
                signature[63] &= (byte)(i % 4 == 1 ? 0x0F : 0xFF);
                var actual = XEdDsa.Verify(key, message, signature);
                Assert.Equal(EdwardsReference.XEdDsaVerify(key, message, signature), actual);
            }
        }
    }

    private static (byte[] PublicKey, byte[] Message, byte[] Signature) FreshSignature(BigInteger? sBelow = null)
    {
        while (true)
        {
            var privateKey = X25519.GeneratePrivateKey();
            var message = RandomNumberGenerator.GetBytes(32);
            var signature = XEdDsa.Sign(privateKey, message);
            if (sBelow is null || S(signature) < sBelow)
            {
                return (X25519.PublicKeyFromPrivate(privateKey), message, signature);
            }
        }
    }

    /// <summary>A signature with a chosen R encoding for a point whose discrete log is 0 (R = identity): s = h·a.</summary>
    private static byte[] SignWithR(byte[] privateKey, byte[] message, byte[] capitalR)
    {
        var a = new byte[32];
        Ed25519Arithmetic.Reduce(privateKey, a);
        var edwards = new byte[32];
        Ed25519Arithmetic.MultiplyBase(privateKey, edwards);
        var h = new byte[32];
        Ed25519Arithmetic.ReduceWide(SHA512.HashData([.. capitalR, .. edwards, .. message]), h);
        var s = new byte[32];
        Ed25519Arithmetic.MultiplyAdd(h, a, new byte[32], s);
        s[31] |= (byte)(edwards[31] & 0x80);
        return [.. capitalR, .. s];
    }

    private static BigInteger S(byte[] signature)
    {
        var s = signature[32..];
        s[31] &= 0x7F;
        return new BigInteger(s, isUnsigned: true);
    }

    private static byte[] WithS(byte[] signature, BigInteger s)
    {
        var result = (byte[])signature.Clone();
        var bytes = new byte[32];
        Assert.True(s.TryWriteBytes(bytes, out _, isUnsigned: true));
        Assert.Equal(0, bytes[31] & 0x80);
        bytes[31] |= (byte)(signature[63] & 0x80);
        bytes.CopyTo(result, 32);
        return result;
    }
}
