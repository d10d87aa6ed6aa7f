namespace Parley.Protocol.Keys;

/// <summary>
/// A long-term identity public key: an ordinary Curve25519 key used both for PQXDH and for XEdDSA signatures.
/// Serialized as the 33-byte <c>0x05</c> form.
/// </summary>
public sealed class IdentityKey : IEquatable<IdentityKey>
{
    /// <summary>Wraps a public key.</summary>
    public IdentityKey(EcPublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        PublicKey = publicKey;
    }

    /// <summary>The underlying public key.</summary>
    public EcPublicKey PublicKey { get; }

    /// <summary>Parses the 33-byte form (trailing bytes tolerated, as for any public key).</summary>
    /// <exception cref="InvalidKeyException">Not a valid Curve25519 public key.</exception>
    public static IdentityKey Deserialize(ReadOnlySpan<byte> serialized) => new(EcPublicKey.Deserialize(serialized));

    /// <summary>The 33-byte serialized form.</summary>
    public byte[] Serialize() => PublicKey.Serialize();

    /// <summary>Verifies an XEdDSA signature made with the identity private key.</summary>
    public bool VerifySignature(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        PublicKey.VerifySignature(message, signature);

    /// <inheritdoc />
    public bool Equals(IdentityKey? other) => other is not null && PublicKey.Equals(other.PublicKey);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as IdentityKey);

    /// <inheritdoc />
    public override int GetHashCode() => PublicKey.GetHashCode();

    /// <summary>Names the type only.</summary>
    public override string ToString() => "IdentityKey(Curve25519)";
}
