namespace Parley.Protocol;

/// <summary>
/// The identity store does not trust the peer's identity key — typically because it differs from the key seen
/// before (trust on first use). The message names the address only, never key bytes.
/// </summary>
public sealed class UntrustedIdentityException : ProtocolException
{
    /// <summary>Creates the error with a default message.</summary>
    public UntrustedIdentityException()
        : base("Untrusted identity.")
    {
    }

    /// <summary>Creates the error with a message.</summary>
    public UntrustedIdentityException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a message and the error that caused it.</summary>
    public UntrustedIdentityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the error for an address.</summary>
    public UntrustedIdentityException(ProtocolAddress address)
        : base($"Untrusted identity for {address}.")
    {
        Address = address;
    }

    /// <summary>The peer whose identity is not trusted.</summary>
    public ProtocolAddress? Address { get; }
}
