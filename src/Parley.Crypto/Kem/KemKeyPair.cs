namespace Parley.Crypto.Kem;

/// <summary>A raw Kyber1024 / ML-KEM-1024 key pair: a 1568-byte public key and a 3168-byte secret key, no type byte.</summary>
/// <remarks>The secret key is never printed: <see cref="ToString"/> shows sizes only.</remarks>
public sealed record KemKeyPair(byte[] PublicKey, byte[] SecretKey)
{
    /// <summary>The encapsulation key ek (1568 bytes).</summary>
    public byte[] PublicKey { get; } = RequireLength(PublicKey, Kem1024.PublicKeySize, nameof(PublicKey));

    /// <summary>The decapsulation key dk = dk_PKE ‖ ek ‖ H(ek) ‖ z (3168 bytes). Secret.</summary>
    public byte[] SecretKey { get; } = RequireLength(SecretKey, Kem1024.SecretKeySize, nameof(SecretKey));

    /// <inheritdoc/>
    public override string ToString() => $"KemKeyPair {{ PublicKey = {PublicKey.Length} bytes, SecretKey = [redacted] }}";

    private static byte[] RequireLength(byte[] value, int length, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (value.Length != length)
        {
            throw new ArgumentException($"Expected {length} bytes, got {value.Length}.", name);
        }

        return value;
    }
}
