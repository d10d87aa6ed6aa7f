using Parley.Crypto.Kem;

namespace Parley.Protocol.Keys;

/// <summary>
/// A Kyber1024 secret (decapsulation) key, serialized as <c>0x08</c> followed by 3168 bytes. Never on the wire;
/// <see cref="Serialize"/> exists for storage records.
/// </summary>
public sealed class KemSecretKey
{
    /// <summary>Size of the serialized key, type byte included.</summary>
    public const int SerializedSize = 1 + Kem1024.SecretKeySize;

    /// <summary>Size of a serialized ciphertext, type byte included.</summary>
    public const int SerializedCiphertextSize = 1 + Kem1024.CiphertextSize;

    private readonly byte[] _key;

    internal KemSecretKey(byte[] rawKey)
    {
        _key = rawKey;
    }

    /// <summary>Parses the serialized form.</summary>
    /// <exception cref="BadKeyTypeException">The type byte is not <c>0x08</c>.</exception>
    /// <exception cref="InvalidKeyException">Empty, or not exactly 3169 bytes.</exception>
    public static KemSecretKey Deserialize(ReadOnlySpan<byte> serialized)
    {
        if (serialized.IsEmpty)
        {
            throw new InvalidKeyException("Empty KEM secret key.");
        }

        if (serialized[0] != (byte)KemKeyType.Kyber1024)
        {
            throw new BadKeyTypeException(serialized[0], isKem: true);
        }

        if (serialized.Length != SerializedSize)
        {
            throw new InvalidKeyException($"Bad KEM secret key length: {serialized.Length} bytes.");
        }

        if (!Kem1024.IsValidSecretKey(serialized[1..]))
        {
            throw new InvalidKeyException("KEM secret key is corrupt.");
        }

        return new KemSecretKey(serialized[1..].ToArray());
    }

    /// <summary>The 3169-byte serialized form (a secret).</summary>
    public byte[] Serialize()
    {
        var bytes = new byte[SerializedSize];
        bytes[0] = (byte)KemKeyType.Kyber1024;
        _key.CopyTo(bytes, 1);
        return bytes;
    }

    /// <summary>
    /// Decapsulates a serialized ciphertext. False when its type byte differs from the key's or its length is wrong;
    /// a well-formed but forged ciphertext yields Kyber's implicit-rejection secret, so the MAC fails later.
    /// </summary>
    internal bool TryDecapsulate(ReadOnlySpan<byte> serializedCiphertext, out byte[] sharedSecret)
    {
        sharedSecret = [];
        if (serializedCiphertext.Length != SerializedCiphertextSize || serializedCiphertext[0] != (byte)KemKeyType.Kyber1024)
        {
            return false;
        }

        sharedSecret = Kem1024.Decapsulate(KemVariant.Kyber1024, _key, serializedCiphertext[1..]);
        return true;
    }

    /// <summary>Names the key type only; key bytes are never printed.</summary>
    public override string ToString() => "KemSecretKey(redacted)";
}
