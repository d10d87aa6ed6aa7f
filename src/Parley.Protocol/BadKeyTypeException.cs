namespace Parley.Protocol;

/// <summary>
/// A serialized key starts with a type byte Parley does not accept: anything but <c>0x05</c> for
/// Curve25519 keys, anything but <c>0x08</c> (Kyber1024) for KEM keys — ML-KEM-1024 (<c>0x0A</c>) included,
/// as in libsignal's shipped builds.
/// </summary>
public sealed class BadKeyTypeException : InvalidKeyException
{
    /// <summary>Creates the error with a default message.</summary>
    public BadKeyTypeException()
        : base("Bad key type.")
    {
    }

    /// <summary>Creates the error with a message.</summary>
    public BadKeyTypeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a message and the error that caused it.</summary>
    public BadKeyTypeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the error for a type byte.</summary>
    public BadKeyTypeException(byte keyType, bool isKem)
        : base(isKem ? $"Bad KEM key type <0x{keyType:x2}>." : $"Bad key type <0x{keyType:x2}>.")
    {
        KeyType = keyType;
        IsKem = isKem;
    }

    /// <summary>The rejected type byte.</summary>
    public byte KeyType { get; }

    /// <summary>True when a KEM key (or ciphertext) was expected.</summary>
    public bool IsKem { get; }
}
