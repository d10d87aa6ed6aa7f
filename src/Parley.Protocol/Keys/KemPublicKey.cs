using Parley.Crypto.Kem;

namespace Parley.Protocol.Keys;

/// <summary>
/// A Kyber1024 public (encapsulation) key, serialized as the type byte <c>0x08</c> followed by 1568 bytes.
/// Lengths are checked exactly, the key must be well formed (every coefficient below q), and any other type byte
/// is refused.
/// </summary>
public sealed class KemPublicKey : IEquatable<KemPublicKey>
{
    /// <summary>Size of the serialized key, type byte included.</summary>
    public const int SerializedSize = 1 + Kem1024.PublicKeySize;

    private readonly byte[] _key;

    internal KemPublicKey(byte[] rawKey)
    {
        _key = rawKey;
    }

    /// <summary>The raw 1568-byte key, without the type byte.</summary>
    public ReadOnlySpan<byte> RawKey => _key;

    /// <summary>Parses the serialized form.</summary>
    /// <exception cref="BadKeyTypeException">The type byte is not <c>0x08</c> (ML-KEM-1024's <c>0x0A</c> included).</exception>
    /// <exception cref="InvalidKeyException">Empty, or not exactly 1569 bytes.</exception>
    public static KemPublicKey Deserialize(ReadOnlySpan<byte> serialized)
    {
        if (serialized.IsEmpty)
        {
            throw new InvalidKeyException("Empty KEM public key.");
        }

        if (serialized[0] != (byte)KemKeyType.Kyber1024)
        {
            throw new BadKeyTypeException(serialized[0], isKem: true);
        }

        if (serialized.Length != SerializedSize)
        {
            throw new InvalidKeyException($"Bad KEM public key length: {serialized.Length} bytes.");
        }

        if (!Kem1024.IsValidPublicKey(serialized[1..]))
        {
            // A coefficient at or above q: no honest key generator produces it, and encapsulation would refuse it.
            throw new InvalidKeyException("KEM public key is not a valid Kyber1024 key.");
        }

        return new KemPublicKey(serialized[1..].ToArray());
    }

    /// <summary>The 1569-byte serialized form.</summary>
    public byte[] Serialize()
    {
        var bytes = new byte[SerializedSize];
        bytes[0] = (byte)KemKeyType.Kyber1024;
        _key.CopyTo(bytes, 1);
        return bytes;
    }

    /// <summary>Encapsulates to this key: the serialized ciphertext (type byte included) and the 32-byte secret.</summary>
    internal (byte[] SerializedCiphertext, byte[] SharedSecret) Encapsulate()
    {
        var (ciphertext, secret) = Kem1024.Encapsulate(KemVariant.Kyber1024, _key);
        var serialized = new byte[1 + ciphertext.Length];
        serialized[0] = (byte)KemKeyType.Kyber1024;
        ciphertext.CopyTo(serialized, 1);
        return (serialized, secret);
    }

    /// <summary>Verifies an XEdDSA signature over the serialized key (how Kyber pre-keys are signed).</summary>
    internal bool IsSignedBy(IdentityKey identityKey, ReadOnlySpan<byte> signature) =>
        identityKey.VerifySignature(Serialize(), signature);

    /// <inheritdoc />
    public bool Equals(KemPublicKey? other) => other is not null && _key.AsSpan().SequenceEqual(other._key);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as KemPublicKey);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.AddBytes(_key.AsSpan(0, 32));
        return hash.ToHashCode();
    }

    /// <summary>Names the key type only.</summary>
    public override string ToString() => "KemPublicKey(Kyber1024)";
}
