using System.Text.Json;
using Parley.Crypto.Curve25519;
using Parley.Testing;

namespace Parley.Crypto.Tests.Curve25519;

/// <summary>The fixed X25519 and XEdDSA values from libsignal's own test suite (vectors/libsignal/static-vectors.json).</summary>
public sealed class LibsignalStaticVectorTests
{
    private static readonly JsonElement Vectors =
        JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Vector("libsignal", "static-vectors.json"))).RootElement;

    private static byte[] Hex(JsonElement e, string name) => Convert.FromHexString(e.GetProperty(name).GetString()!);

    [Fact]
    public void X25519_agreement_matches_libsignal_in_both_directions()
    {
        var v = Vectors.GetProperty("x25519_agreement");
        var alicePrivate = Hex(v, "alice_private");
        var bobPrivate = Hex(v, "bob_private");
        Assert.Equal(Hex(v, "alice_public")[1..], X25519.PublicKeyFromPrivate(alicePrivate));
        Assert.Equal(Hex(v, "bob_public")[1..], X25519.PublicKeyFromPrivate(bobPrivate));
        Assert.Equal(Hex(v, "shared"), X25519.Agree(alicePrivate, Hex(v, "bob_public")[1..]));
        Assert.Equal(Hex(v, "shared"), X25519.Agree(bobPrivate, Hex(v, "alice_public")[1..]));
    }

    [Fact]
    public void XEdDsa_libsignal_signature_verifies_and_every_single_bit_flip_fails()
    {
        var v = Vectors.GetProperty("xeddsa_verify");
        var publicKey = Hex(v, "identity_public")[1..];
        var message = Hex(v, "message");
        var signature = Hex(v, "signature");
        Assert.Equal(publicKey, X25519.PublicKeyFromPrivate(Hex(v, "identity_private")));
        Assert.True(XEdDsa.Verify(publicKey, message, signature));
        for (var bit = 0; bit < signature.Length * 8; bit++)
        {
            var flipped = (byte[])signature.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(XEdDsa.Verify(publicKey, message, flipped), $"bit {bit} flip verified");
        }
    }

    [Fact]
    public void XEdDsa_sign_then_verify_round_trips_for_fresh_keys()
    {
        for (var i = 0; i < 200; i++)
        {
            var privateKey = X25519.GeneratePrivateKey();
            var publicKey = X25519.PublicKeyFromPrivate(privateKey);
            var message = new byte[i];
            Random.Shared.NextBytes(message);
            var signature = XEdDsa.Sign(privateKey, message);
            Assert.True(XEdDsa.Verify(publicKey, message, signature));
            if (message.Length > 0)
            {
                message[0] ^= 1;
                Assert.False(XEdDsa.Verify(publicKey, message, signature));
            }
        }
    }
}
