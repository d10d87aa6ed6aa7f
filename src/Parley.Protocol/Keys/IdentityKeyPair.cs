using System.Security.Cryptography;
using Parley.Protocol.Wire;

namespace Parley.Protocol.Keys;

/// <summary>
/// The local identity: public <see cref="IdentityKey"/> plus its private key. Serializes to libsignal's
/// <c>IdentityKeyPairStructure</c> {1 public key (33 bytes), 2 private key (32 bytes)}.
/// </summary>
public sealed class IdentityKeyPair
{
    /// <summary>Pairs an identity key with its private key.</summary>
    public IdentityKeyPair(IdentityKey identityKey, EcPrivateKey privateKey)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        ArgumentNullException.ThrowIfNull(privateKey);
        IdentityKey = identityKey;
        PrivateKey = privateKey;
    }

    /// <summary>The public identity key.</summary>
    public IdentityKey IdentityKey { get; }

    /// <summary>The private identity key.</summary>
    public EcPrivateKey PrivateKey { get; }

    /// <summary>A fresh identity from the OS CSPRNG.</summary>
    public static IdentityKeyPair Generate() => Generate(ProtocolEnvironment.System.Random);

    /// <summary>A fresh identity from <paramref name="random"/>.</summary>
    public static IdentityKeyPair Generate(RandomNumberGenerator random)
    {
        var pair = EcKeyPair.Generate(random);
        return new IdentityKeyPair(new IdentityKey(pair.PublicKey), pair.PrivateKey);
    }

    /// <summary>Parses an <c>IdentityKeyPairStructure</c>.</summary>
    /// <exception cref="InvalidRecordException">Malformed, or a field is missing or invalid.</exception>
    public static IdentityKeyPair Deserialize(ReadOnlySpan<byte> serialized)
    {
        var reader = new ProtoReader(serialized);
        ReadOnlySpan<byte> publicKey = default, privateKey = default;
        bool hasPublic = false, hasPrivate = false;
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                throw new InvalidRecordException("Malformed identity key pair.");
            }

            var ok = field switch
            {
                1 => hasPublic = reader.TryReadBytes(wireType, out publicKey),
                2 => hasPrivate = reader.TryReadBytes(wireType, out privateKey),
                _ => reader.TrySkip(wireType),
            };
            if (!ok)
            {
                throw new InvalidRecordException("Malformed identity key pair.");
            }
        }

        if (!hasPublic || !hasPrivate
            || !EcPublicKey.TryDeserialize(publicKey, out var pub)
            || !EcPrivateKey.TryDeserialize(privateKey, out var priv))
        {
            throw new InvalidRecordException("Identity key pair is missing a valid key.");
        }

        return new IdentityKeyPair(new IdentityKey(pub), priv);
    }

    /// <summary>The <c>IdentityKeyPairStructure</c> encoding (holds the private key: treat as a secret).</summary>
    public byte[] Serialize()
    {
        var writer = new ProtoWriter(72);
        writer.WriteBytesField(1, IdentityKey.Serialize());
        var privateKey = PrivateKey.Serialize();
        writer.WriteBytesField(2, privateKey);
        CryptographicOperations.ZeroMemory(privateKey);
        var bytes = writer.ToArray();
        writer.Clear();
        return bytes;
    }

    /// <summary>Names the type only; key bytes are never printed.</summary>
    public override string ToString() => "IdentityKeyPair(redacted)";
}
