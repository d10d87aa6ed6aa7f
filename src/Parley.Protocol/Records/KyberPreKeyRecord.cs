using Parley.Protocol.Keys;

namespace Parley.Protocol.Records;

/// <summary>
/// A signed Kyber1024 pre-key (one-time or last resort): the identity key's XEdDSA signature covers the 1569-byte
/// serialized public key, <c>0x08</c> included. Storage form: <c>SignedPreKeyRecordStructure</c> with
/// type-prefixed KEM keys, as libsignal stores it.
/// </summary>
public sealed class KyberPreKeyRecord
{
    private readonly byte[] _signature;

    /// <summary>Creates a record.</summary>
    public KyberPreKeyRecord(uint id, DateTimeOffset timestamp, KemKeyPair keyPair, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(keyPair);
        Id = id;
        Timestamp = timestamp;
        KeyPair = keyPair;
        _signature = signature.ToArray();
    }

    /// <summary>The Kyber pre-key id.</summary>
    public uint Id { get; }

    /// <summary>When the key was made (millisecond precision).</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The KEM key pair.</summary>
    public KemKeyPair KeyPair { get; }

    /// <summary>The identity key's signature over the serialized public key.</summary>
    public ReadOnlyMemory<byte> Signature => _signature;

    /// <summary>A fresh Kyber1024 pre-key signed by <paramref name="identity"/>.</summary>
    public static KyberPreKeyRecord Generate(uint id, IdentityKeyPair identity, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var keyPair = KemKeyPair.Generate();
        var signature = identity.PrivateKey.CalculateSignature(keyPair.PublicKey.Serialize());
        return new KyberPreKeyRecord(id, timestamp, keyPair, signature);
    }

    /// <summary>Parses the stored form.</summary>
    /// <exception cref="InvalidRecordException">Malformed, or the keys are not Kyber1024 keys of the right size.</exception>
    public static KyberPreKeyRecord Deserialize(ReadOnlySpan<byte> serialized)
    {
        var fields = KeyRecordCodec.Decode(serialized, "Kyber pre-key record");
        KemPublicKey publicKey;
        KemSecretKey secretKey;
        try
        {
            publicKey = KemPublicKey.Deserialize(fields.PublicKey);
            secretKey = KemSecretKey.Deserialize(fields.PrivateKey);
        }
        catch (InvalidKeyException e)
        {
            throw new InvalidRecordException("Kyber pre-key record holds an invalid key.", e);
        }

        return new KyberPreKeyRecord(fields.Id, KeyRecordCodec.ToTimestamp(fields.Timestamp), new KemKeyPair(publicKey, secretKey), fields.Signature);
    }

    /// <summary>The stored form (holds the secret key).</summary>
    public byte[] Serialize()
    {
        var secret = KeyPair.SecretKey.Serialize();
        try
        {
            return KeyRecordCodec.Encode(Id, KeyPair.PublicKey.Serialize(), secret, _signature, KeyRecordCodec.FromTimestamp(Timestamp));
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>The id only.</summary>
    public override string ToString() => $"KyberPreKeyRecord({Id})";
}
