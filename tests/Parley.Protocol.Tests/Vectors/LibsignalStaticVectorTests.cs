using System.Text;
using Parley.Protocol.Fingerprints;
using Parley.Protocol.Keys;
using Parley.Protocol.Ratchet;
using Parley.Protocol.Tests.Support;

namespace Parley.Protocol.Tests.Vectors;

public sealed class LibsignalStaticVectorTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Fingerprints_match_libsignal_vectors(int version)
    {
        var v = StaticVectors.Section("fingerprint");
        var aliceKey = IdentityKey.Deserialize(StaticVectors.Hex(v, "alice_identity"));
        var bobKey = IdentityKey.Deserialize(StaticVectors.Hex(v, "bob_identity"));
        var aliceId = Encoding.UTF8.GetBytes(StaticVectors.Text(v, "alice_stable_id"));
        var bobId = Encoding.UTF8.GetBytes(StaticVectors.Text(v, "bob_stable_id"));
        var iterations = v.GetProperty("iterations").GetInt32();

        var alice = Fingerprint.Create(version, iterations, aliceId, aliceKey, bobId, bobKey);
        var bob = Fingerprint.Create(version, iterations, bobId, bobKey, aliceId, aliceKey);

        Assert.Equal(StaticVectors.Text(v, "displayable"), alice.Displayable.Digits60);
        Assert.Equal(StaticVectors.Text(v, "displayable"), bob.Displayable.Digits60);
        Assert.Equal(StaticVectors.Hex(v, $"alice_scannable_v{version}"), alice.Scannable.Serialize());
        Assert.Equal(StaticVectors.Hex(v, $"bob_scannable_v{version}"), bob.Scannable.Serialize());
        Assert.Equal(74, alice.Scannable.Serialize().Length);
        Assert.True(alice.Scannable.Matches(bob.Scannable.Serialize()));
        Assert.True(bob.Scannable.Matches(alice.Scannable.Serialize()));
        Assert.False(alice.Scannable.Matches(alice.Scannable.Serialize()));
    }

    [Fact]
    public void Scannable_fingerprints_of_different_versions_do_not_compare()
    {
        var v = StaticVectors.Section("fingerprint");
        var aliceKey = IdentityKey.Deserialize(StaticVectors.Hex(v, "alice_identity"));
        var bobKey = IdentityKey.Deserialize(StaticVectors.Hex(v, "bob_identity"));
        var alice = Fingerprint.Create(2, 5200, "+14152222222"u8, aliceKey, "+14153333333"u8, bobKey);
        var error = Assert.Throws<FingerprintVersionMismatchException>(() => alice.Scannable.Matches(StaticVectors.Hex(v, "bob_scannable_v1")));
        Assert.Equal(1, error.TheirVersion);
        Assert.Equal(2, error.OurVersion);
        Assert.Throws<InvalidMessageException>(() => alice.Scannable.Matches([0x08]));
    }

    [Fact]
    public void Changed_identity_changes_the_safety_number()
    {
        var v = StaticVectors.Section("fingerprint");
        var aliceKey = IdentityKey.Deserialize(StaticVectors.Hex(v, "alice_identity"));
        var other = IdentityKeyPair.Generate().IdentityKey;
        var fingerprint = Fingerprint.Create(2, 5200, "+14152222222"u8, aliceKey, "+14153333333"u8, other);
        Assert.NotEqual(StaticVectors.Text(v, "displayable"), fingerprint.Displayable.Digits60);
        Assert.Equal(60, fingerprint.Displayable.Digits60.Length);
        Assert.All(fingerprint.Displayable.Digits60, c => Assert.InRange(c, '0', '9'));
    }

    [Fact]
    public void Chain_key_derivation_matches_libsignal()
    {
        var v = StaticVectors.Section("chain_key");
        var chainKey = new ChainKey(StaticVectors.Hex(v, "chain_key"), 0);
        var keys = MessageKeys.FromSeed(chainKey.MessageKeySeed(), 0);
        Assert.Equal(StaticVectors.Hex(v, "message_cipher_key"), keys.CipherKey);
        Assert.Equal(StaticVectors.Hex(v, "message_mac_key"), keys.MacKey);
        var next = chainKey.Next();
        Assert.Equal(StaticVectors.Hex(v, "next_chain_key"), next.Key);
        Assert.Equal(1u, next.Index);
    }

    [Fact]
    public void Agreement_with_serialized_keys_matches_libsignal()
    {
        var v = StaticVectors.Section("x25519_agreement");
        var alicePrivate = EcPrivateKey.Deserialize(StaticVectors.Hex(v, "alice_private"));
        var bobPublic = EcPublicKey.Deserialize(StaticVectors.Hex(v, "bob_public"));
        Assert.Equal(StaticVectors.Hex(v, "alice_public"), alicePrivate.PublicKey.Serialize());
        Assert.Equal(StaticVectors.Hex(v, "shared"), alicePrivate.CalculateAgreement(bobPublic));
    }

    [Fact]
    public void Signature_over_serialized_key_verifies_and_every_bit_flip_fails()
    {
        var v = StaticVectors.Section("xeddsa_verify");
        var identity = IdentityKey.Deserialize(StaticVectors.Hex(v, "identity_public"));
        var message = StaticVectors.Hex(v, "message");
        var signature = StaticVectors.Hex(v, "signature");
        Assert.True(identity.VerifySignature(message, signature));
        for (var bit = 0; bit < signature.Length * 8; bit++)
        {
            var flipped = (byte[])signature.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(identity.VerifySignature(message, flipped));
        }
    }
}
