using System.Numerics;
using System.Text.Json;
using Parley.Protocol.Keys;
using Parley.Testing;

namespace Parley.Protocol.Tests.Keys;

/// <summary>The base-key canonicity check of PROTOCOL.md §2.1.</summary>
public sealed class BaseKeyCanonicityTests
{
    private static readonly BigInteger P = (BigInteger.One << 255) - 19;

    [Fact]
    public void Honestly_generated_keys_are_canonical()
    {
        for (var i = 0; i < 50; i++)
        {
            Assert.True(EcKeyPair.Generate().PublicKey.IsCanonical());
        }
    }

    [Fact]
    public void Low_order_points_are_not_canonical()
    {
        // u = 0 (order 2), u = 1 (order 4), and the order-8 point.
        foreach (var hex in new[]
        {
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0100000000000000000000000000000000000000000000000000000000000000",
            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
            "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        })
        {
            Assert.False(EcPublicKey.FromPublicKeyBytes(Convert.FromHexString(hex)).IsCanonical(), hex);
        }
    }

    [Fact]
    public void Encodings_at_or_above_p_and_with_bit_255_set_are_not_canonical()
    {
        var honest = EcKeyPair.Generate().PublicKey.PublicKeyBytes.ToArray();
        var withTopBit = (byte[])honest.Clone();
        withTopBit[31] |= 0x80;
        Assert.False(EcPublicKey.FromPublicKeyBytes(withTopBit).IsCanonical());

        foreach (var value in new[] { P, P + 1, P - 1 })
        {
            var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: false);
            Array.Resize(ref bytes, 32);
            Assert.False(EcPublicKey.FromPublicKeyBytes(bytes).IsCanonical());
        }
    }

    [Fact]
    public void A_key_with_a_torsion_component_is_not_canonical()
    {
        // On a Montgomery curve, P + (0, 0) has u-coordinate 1/u: a point of order 2L, on the curve, not small order.
        for (var i = 0; i < 10; i++)
        {
            var u = new BigInteger(EcKeyPair.Generate().PublicKey.PublicKeyBytes, isUnsigned: true, isBigEndian: false);
            var mixed = BigInteger.ModPow(u, P - 2, P);
            var bytes = mixed.ToByteArray(isUnsigned: true, isBigEndian: false);
            Array.Resize(ref bytes, 32);
            Assert.False(EcPublicKey.FromPublicKeyBytes(bytes).IsCanonical());
        }
    }

    [Fact]
    public void Twist_points_and_mixed_torsion_points_from_wycheproof_are_not_canonical()
    {
        using var stream = File.OpenRead(RepositoryPaths.Vector("wycheproof", "x25519_test.json"));
        using var document = JsonDocument.Parse(stream);
        var checkedTwist = 0;
        foreach (var group in document.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                var flags = test.GetProperty("flags").EnumerateArray().Select(f => f.GetString()).ToList();
                if (flags.Contains("Twist") || flags.Contains("LowOrderPublic") || flags.Contains("NonCanonicalPublic"))
                {
                    var key = EcPublicKey.FromPublicKeyBytes(Convert.FromHexString(test.GetProperty("public").GetString()!));
                    Assert.False(key.IsCanonical(), $"tcId {test.GetProperty("tcId").GetInt32()}");
                    checkedTwist++;
                }
            }
        }

        Assert.True(checkedTwist > 200, $"only {checkedTwist} non-canonical vectors found");
    }
}
