using System.Security.Cryptography;
using Parley.Crypto.Curve25519;

namespace Parley.Protocol.Keys;

/// <summary>
/// A Curve25519 private key: 32 bytes, clamped on creation and on deserialization (PROTOCOL.md §2.1).
/// It never goes on the wire; <see cref="Serialize"/> exists for storage records.
/// </summary>
public sealed class EcPrivateKey
{
    /// <summary>Size of the key.</summary>
    public const int KeySize = 32;

    private readonly byte[] _key;
    private EcPublicKey? _publicKey;

    private EcPrivateKey(byte[] clampedKey)
    {
        _key = clampedKey;
    }

    /// <summary>The matching public key (computed once, on first use).</summary>
    public EcPublicKey PublicKey => _publicKey ??= EcPublicKey.FromPublicKeyBytes(X25519.PublicKeyFromPrivate(_key));

    /// <summary>The raw clamped key bytes, for internal use only.</summary>
    internal ReadOnlySpan<byte> KeyBytes => _key;

    /// <summary>Creates a key from 32 bytes, clamping a copy.</summary>
    /// <exception cref="InvalidKeyException">Not 32 bytes.</exception>
    public static EcPrivateKey Deserialize(ReadOnlySpan<byte> keyBytes)
    {
        if (keyBytes.Length != KeySize)
        {
            throw new InvalidKeyException($"Private key must be {KeySize} bytes, got {keyBytes.Length}.");
        }

        var copy = keyBytes.ToArray();
        X25519.Clamp(copy);
        return new EcPrivateKey(copy);
    }

    /// <summary>Parses without throwing (used by record decoders).</summary>
    internal static bool TryDeserialize(ReadOnlySpan<byte> keyBytes, out EcPrivateKey key)
    {
        key = null!;
        if (keyBytes.Length != KeySize)
        {
            return false;
        }

        var copy = keyBytes.ToArray();
        X25519.Clamp(copy);
        key = new EcPrivateKey(copy);
        return true;
    }

    /// <summary>A fresh private key from <paramref name="random"/>.</summary>
    public static EcPrivateKey Generate(RandomNumberGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var bytes = new byte[KeySize];
        random.GetBytes(bytes);
        X25519.Clamp(bytes);
        return new EcPrivateKey(bytes);
    }

    /// <summary>A copy of the 32 key bytes (for storage records; handle as a secret).</summary>
    public byte[] Serialize() => (byte[])_key.Clone();

    /// <summary>X25519 agreement with a peer's public key.</summary>
    /// <exception cref="InvalidKeyException">The result is all zero (the peer's key has small order).</exception>
    public byte[] CalculateAgreement(EcPublicKey theirPublicKey)
    {
        ArgumentNullException.ThrowIfNull(theirPublicKey);
        var shared = new byte[X25519.KeySize];
        if (!X25519.TryAgree(_key, theirPublicKey.PublicKeyBytes, shared))
        {
            throw new InvalidKeyException("Key agreement produced an all-zero secret.");
        }

        return shared;
    }

    /// <summary>X25519 agreement into a 32-byte buffer; false when the result is all zero.</summary>
    internal bool TryCalculateAgreement(EcPublicKey theirPublicKey, Span<byte> destination) =>
        X25519.TryAgree(_key, theirPublicKey.PublicKeyBytes, destination);

    /// <summary>An XEdDSA signature over <paramref name="message"/> (64 bytes).</summary>
    public byte[] CalculateSignature(ReadOnlySpan<byte> message) => XEdDsa.Sign(_key, message);

    /// <summary>Names the key type only; key bytes are never printed.</summary>
    public override string ToString() => "EcPrivateKey(redacted)";
}
