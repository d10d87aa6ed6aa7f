using System.Security.Cryptography;

namespace Parley.Protocol.Keys;

/// <summary>A Curve25519 key pair.</summary>
public sealed class EcKeyPair
{
    /// <summary>Pairs a private key with its public key.</summary>
    public EcKeyPair(EcPublicKey publicKey, EcPrivateKey privateKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(privateKey);
        PublicKey = publicKey;
        PrivateKey = privateKey;
    }

    /// <summary>The public half.</summary>
    public EcPublicKey PublicKey { get; }

    /// <summary>The private half.</summary>
    public EcPrivateKey PrivateKey { get; }

    /// <summary>A fresh key pair from the OS CSPRNG.</summary>
    public static EcKeyPair Generate() => Generate(ProtocolEnvironment.System.Random);

    /// <summary>A fresh key pair from <paramref name="random"/>.</summary>
    public static EcKeyPair Generate(RandomNumberGenerator random)
    {
        var privateKey = EcPrivateKey.Generate(random);
        return new EcKeyPair(privateKey.PublicKey, privateKey);
    }

    /// <summary>Builds a pair from a private key, deriving the public key.</summary>
    public static EcKeyPair FromPrivateKey(EcPrivateKey privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        return new EcKeyPair(privateKey.PublicKey, privateKey);
    }

    /// <summary>Names the type only; key bytes are never printed.</summary>
    public override string ToString() => "EcKeyPair(redacted)";
}
