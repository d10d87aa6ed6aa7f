using Parley.Protocol.Keys;

namespace Parley.Protocol.Tests.Keys;

public sealed class KeyEncodingTests
{
    [Fact]
    public void Curve25519_public_key_round_trips_as_33_bytes_with_type_0x05()
    {
        var key = EcKeyPair.Generate().PublicKey;
        var serialized = key.Serialize();
        Assert.Equal(33, serialized.Length);
        Assert.Equal(0x05, serialized[0]);
        Assert.Equal(key, EcPublicKey.Deserialize(serialized));
    }

    [Fact]
    public void Curve25519_public_key_tolerates_trailing_bytes_like_libsignal()
    {
        var key = EcKeyPair.Generate().PublicKey;
        var padded = key.Serialize().Concat(new byte[] { 1, 2, 3 }).ToArray();
        var parsed = EcPublicKey.Deserialize(padded);
        Assert.Equal(key, parsed);
        Assert.Equal(33, parsed.Serialize().Length);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x04)]
    [InlineData(0x06)]
    [InlineData(0x08)]
    public void Curve25519_public_key_with_another_type_byte_is_refused(byte type)
    {
        var serialized = EcKeyPair.Generate().PublicKey.Serialize();
        serialized[0] = type;
        var error = Assert.Throws<BadKeyTypeException>(() => EcPublicKey.Deserialize(serialized));
        Assert.Equal(type, error.KeyType);
        Assert.False(error.IsKem);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(32)]
    public void Curve25519_public_key_too_short_is_refused(int length)
    {
        var serialized = EcKeyPair.Generate().PublicKey.Serialize()[..length];
        Assert.ThrowsAny<InvalidKeyException>(() => EcPublicKey.Deserialize(serialized));
    }

    [Fact]
    public void Private_keys_are_clamped_on_deserialization()
    {
        var raw = Enumerable.Repeat((byte)0xFF, 32).ToArray();
        var key = EcPrivateKey.Deserialize(raw);
        var clamped = key.Serialize();
        Assert.Equal(0xF8, clamped[0]);
        Assert.Equal(0x7F, clamped[31]);
        Assert.Throws<InvalidKeyException>(() => EcPrivateKey.Deserialize(new byte[31]));
    }

    [Fact]
    public void Identity_key_pair_round_trips_as_IdentityKeyPairStructure()
    {
        var pair = IdentityKeyPair.Generate();
        var serialized = pair.Serialize();
        Assert.Equal(0x0A, serialized[0]); // field 1, length-delimited
        var parsed = IdentityKeyPair.Deserialize(serialized);
        Assert.Equal(pair.IdentityKey, parsed.IdentityKey);
        Assert.Equal(pair.PrivateKey.Serialize(), parsed.PrivateKey.Serialize());
        Assert.Throws<InvalidRecordException>(() => IdentityKeyPair.Deserialize(serialized[..^1]));
    }

    [Fact]
    public void Kyber_public_and_secret_keys_carry_type_0x08()
    {
        var pair = KemKeyPair.Generate();
        var publicBytes = pair.PublicKey.Serialize();
        var secretBytes = pair.SecretKey.Serialize();
        Assert.Equal(1569, publicBytes.Length);
        Assert.Equal(3169, secretBytes.Length);
        Assert.Equal(0x08, publicBytes[0]);
        Assert.Equal(0x08, secretBytes[0]);
        Assert.Equal(pair.PublicKey, KemPublicKey.Deserialize(publicBytes));
        Assert.Equal(secretBytes, KemSecretKey.Deserialize(secretBytes).Serialize());
    }

    [Theory]
    [InlineData(0x0A)]
    [InlineData(0x07)]
    [InlineData(0x05)]
    [InlineData(0x00)]
    public void Kem_keys_of_another_type_are_refused_with_the_type_byte(byte type)
    {
        var pair = KemKeyPair.Generate();
        var publicBytes = pair.PublicKey.Serialize();
        publicBytes[0] = type;
        var error = Assert.Throws<BadKeyTypeException>(() => KemPublicKey.Deserialize(publicBytes));
        Assert.Equal(type, error.KeyType);
        Assert.True(error.IsKem);
        Assert.Contains($"<0x{type:x2}>", error.Message, StringComparison.Ordinal);

        var secretBytes = pair.SecretKey.Serialize();
        secretBytes[0] = type;
        Assert.Equal(type, Assert.Throws<BadKeyTypeException>(() => KemSecretKey.Deserialize(secretBytes)).KeyType);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1568)]
    [InlineData(1570)]
    public void Kem_public_key_of_wrong_length_is_refused(int length)
    {
        var bytes = new byte[length];
        if (length > 0)
        {
            bytes[0] = 0x08;
        }

        Assert.ThrowsAny<InvalidKeyException>(() => KemPublicKey.Deserialize(bytes));
    }

    [Fact]
    public void Kem_public_key_with_an_unreduced_coefficient_is_refused()
    {
        var bytes = KemKeyPair.Generate().PublicKey.Serialize();
        bytes[1] = 0xFF;
        bytes[2] |= 0x0F; // first 12-bit coefficient = 0xFFF ≥ q
        Assert.Throws<InvalidKeyException>(() => KemPublicKey.Deserialize(bytes));
    }

    [Fact]
    public void Kem_secret_key_with_a_corrupt_hash_is_refused()
    {
        var bytes = KemKeyPair.Generate().SecretKey.Serialize();
        bytes[1 + 3168 - 40] ^= 1; // inside H(ek)
        Assert.Throws<InvalidKeyException>(() => KemSecretKey.Deserialize(bytes));
    }
}
