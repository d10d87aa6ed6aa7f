using Parley.Protocol.Keys;

namespace Parley.Protocol.Records;

/// <summary>
/// A signed Curve25519 pre-key: the identity key's XEdDSA signature covers the 33-byte serialized public key.
/// Storage form: <c>SignedPreKeyRecordStructure</c>.
/// </summary>
public sealed class SignedPreKeyRecord
{
    private readonly byte[] _signature;

    /// <summary>Creates a record.</summary>
    public SignedPreKeyRecord(uint id, DateTimeOffset timestamp, EcKeyPair keyPair, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(keyPair);
        Id = id;
        Timestamp = timestamp;
        KeyPair = keyPair;
        _signature = signature.ToArray();
    }

    /// <summary>The signed pre-key id.</summary>
    public uint Id { get; }

    /// <summary>When the key was made (millisecond precision).</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The key pair.</summary>
    public EcKeyPair KeyPair { get; }

    /// <summary>The identity key's signature over the serialized public key.</summary>
    public ReadOnlyMemory<byte> Signature => _signature;

    /// <summary>A fresh signed pre-key signed by <paramref name="identity"/>.</summary>
    public static SignedPreKeyRecord Generate(uint id, IdentityKeyPair identity, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var keyPair = EcKeyPair.Generate();
        var signature = identity.PrivateKey.CalculateSignature(keyPair.PublicKey.Serialize());
        return new SignedPreKeyRecord(id, timestamp, keyPair, signature);
    }

    /// <summary>Parses a <c>SignedPreKeyRecordStructure</c>.</summary>
    /// <exception cref="InvalidRecordException">Malformed or holding invalid keys.</exception>
    public static SignedPreKeyRecord Deserialize(ReadOnlySpan<byte> serialized)
    {
        var fields = KeyRecordCodec.Decode(serialized, "signed pre-key record");
        if (!EcPublicKey.TryDeserialize(fields.PublicKey, out var publicKey) || !EcPrivateKey.TryDeserialize(fields.PrivateKey, out var privateKey))
        {
            throw new InvalidRecordException("Signed pre-key record holds an invalid key.");
        }

        return new SignedPreKeyRecord(fields.Id, KeyRecordCodec.ToTimestamp(fields.Timestamp), new EcKeyPair(publicKey, privateKey), fields.Signature);
    }

    /// <summary>The <c>SignedPreKeyRecordStructure</c> encoding (holds the private key).</summary>
    public byte[] Serialize() => KeyRecordCodec.Encode(
        Id, KeyPair.PublicKey.Serialize(), KeyPair.PrivateKey.KeyBytes, _signature, KeyRecordCodec.FromTimestamp(Timestamp));

    /// <summary>The id only.</summary>
    public override string ToString() => $"SignedPreKeyRecord({Id})";
}
