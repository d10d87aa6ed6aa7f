using Parley.Crypto.Kem;

namespace Parley.Protocol.Keys;

/// <summary>A Kyber1024 key pair for Kyber pre-keys.</summary>
public sealed class KemKeyPair
{
    /// <summary>Pairs a public and a secret key.</summary>
    public KemKeyPair(KemPublicKey publicKey, KemSecretKey secretKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(secretKey);
        PublicKey = publicKey;
        SecretKey = secretKey;
    }

    /// <summary>The public (encapsulation) key.</summary>
    public KemPublicKey PublicKey { get; }

    /// <summary>The secret (decapsulation) key.</summary>
    public KemSecretKey SecretKey { get; }

    /// <summary>A fresh Kyber1024 key pair (randomness from the OS CSPRNG).</summary>
    public static KemKeyPair Generate()
    {
        var pair = Kem1024.GenerateKeyPair(KemVariant.Kyber1024);
        return new KemKeyPair(new KemPublicKey(pair.PublicKey), new KemSecretKey(pair.SecretKey));
    }

    /// <summary>Names the type only; key bytes are never printed.</summary>
    public override string ToString() => "KemKeyPair(Kyber1024, redacted)";
}
