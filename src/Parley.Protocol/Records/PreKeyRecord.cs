using Parley.Protocol.Keys;

namespace Parley.Protocol.Records;

/// <summary>A one-time Curve25519 pre-key with its id. Storage form: <c>PreKeyRecordStructure</c>.</summary>
public sealed class PreKeyRecord
{
    /// <summary>Creates a record.</summary>
    public PreKeyRecord(uint id, EcKeyPair keyPair)
    {
        ArgumentNullException.ThrowIfNull(keyPair);
        Id = id;
        KeyPair = keyPair;
    }

    /// <summary>The pre-key id.</summary>
    public uint Id { get; }

    /// <summary>The key pair.</summary>
    public EcKeyPair KeyPair { get; }

    /// <summary>A fresh one-time pre-key.</summary>
    public static PreKeyRecord Generate(uint id) => new(id, EcKeyPair.Generate());

    /// <summary>Parses a <c>PreKeyRecordStructure</c>.</summary>
    /// <exception cref="InvalidRecordException">Malformed or holding invalid keys.</exception>
    public static PreKeyRecord Deserialize(ReadOnlySpan<byte> serialized)
    {
        var fields = KeyRecordCodec.Decode(serialized, "pre-key record");
        if (!EcPublicKey.TryDeserialize(fields.PublicKey, out var publicKey) || !EcPrivateKey.TryDeserialize(fields.PrivateKey, out var privateKey))
        {
            throw new InvalidRecordException("Pre-key record holds an invalid key.");
        }

        return new PreKeyRecord(fields.Id, new EcKeyPair(publicKey, privateKey));
    }

    /// <summary>The <c>PreKeyRecordStructure</c> encoding (holds the private key).</summary>
    public byte[] Serialize() =>
        KeyRecordCodec.Encode(Id, KeyPair.PublicKey.Serialize(), KeyPair.PrivateKey.KeyBytes, [], 0);

    /// <summary>The id only.</summary>
    public override string ToString() => $"PreKeyRecord({Id})";
}
