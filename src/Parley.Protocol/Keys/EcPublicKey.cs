using Parley.Crypto.Curve25519;

namespace Parley.Protocol.Keys;

/// <summary>
/// A Curve25519 (X25519) public key. Serialized as 33 bytes: the type byte <c>0x05</c> followed by the 32-byte
/// little-endian Montgomery u-coordinate (PROTOCOL.md §2.1).
/// </summary>
/// <remarks>
/// Deserialization accepts trailing bytes after the 32 key bytes and drops them, as libsignal does. Equality
/// compares the 32 key bytes.
/// </remarks>
public sealed class EcPublicKey : IEquatable<EcPublicKey>
{
    /// <summary>The type byte of Curve25519 ("Djb") keys.</summary>
    public const byte DjbType = 0x05;

    /// <summary>Size of the raw key.</summary>
    public const int KeySize = 32;

    /// <summary>Size of the serialized key, type byte included.</summary>
    public const int SerializedSize = 33;

    private readonly byte[] _key;

    private EcPublicKey(byte[] key)
    {
        _key = key;
    }

    /// <summary>The raw 32-byte u-coordinate.</summary>
    public ReadOnlySpan<byte> PublicKeyBytes => _key;

    /// <summary>Parses the serialized form.</summary>
    /// <exception cref="InvalidKeyException">Too short.</exception>
    /// <exception cref="BadKeyTypeException">The type byte is not <c>0x05</c>.</exception>
    public static EcPublicKey Deserialize(ReadOnlySpan<byte> serialized)
    {
        if (serialized.IsEmpty)
        {
            throw new InvalidKeyException("Empty public key.");
        }

        if (serialized[0] != DjbType)
        {
            throw new BadKeyTypeException(serialized[0], isKem: false);
        }

        if (serialized.Length < SerializedSize)
        {
            throw new InvalidKeyException($"Public key too short: {serialized.Length} bytes.");
        }

        return new EcPublicKey(serialized.Slice(1, KeySize).ToArray());
    }

    /// <summary>Creates a key from its raw 32 bytes (no type byte).</summary>
    /// <exception cref="InvalidKeyException">Not 32 bytes.</exception>
    public static EcPublicKey FromPublicKeyBytes(ReadOnlySpan<byte> keyBytes)
    {
        if (keyBytes.Length != KeySize)
        {
            throw new InvalidKeyException($"Public key must be {KeySize} bytes, got {keyBytes.Length}.");
        }

        return new EcPublicKey(keyBytes.ToArray());
    }

    /// <summary>Parses the serialized form without throwing.</summary>
    internal static bool TryDeserialize(ReadOnlySpan<byte> serialized, out EcPublicKey key)
    {
        key = null!;
        if (serialized.Length < SerializedSize || serialized[0] != DjbType)
        {
            return false;
        }

        key = new EcPublicKey(serialized.Slice(1, KeySize).ToArray());
        return true;
    }

    /// <summary>The 33-byte serialized form.</summary>
    public byte[] Serialize()
    {
        var bytes = new byte[SerializedSize];
        WriteSerialized(bytes);
        return bytes;
    }

    /// <summary>Writes the 33-byte serialized form.</summary>
    public void WriteSerialized(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, SerializedSize);
        destination[0] = DjbType;
        _key.CopyTo(destination[1..]);
    }

    /// <summary>Verifies an XEdDSA signature made by the matching private key (libsignal's rules, §3.2).</summary>
    public bool VerifySignature(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        XEdDsa.Verify(_key, message, signature);

    /// <summary>
    /// True when the key is canonical: u below 2^255 − 19, on the curve (not its twist), and in the prime-order
    /// subgroup. Applied to the initiator's base key on receipt (§2.1).
    /// </summary>
    public bool IsCanonical() => X25519.IsCanonicalPublicKey(_key);

    /// <inheritdoc />
    public bool Equals(EcPublicKey? other) => other is not null && _key.AsSpan().SequenceEqual(other._key);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as EcPublicKey);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.AddBytes(_key);
        return hash.ToHashCode();
    }

    /// <summary>Names the key type only; key bytes are never printed.</summary>
    public override string ToString() => "EcPublicKey(Curve25519)";
}
