namespace Parley.Protocol;

/// <summary>A signature did not verify: a signed or Kyber pre-key in a bundle, or a sender-key message.</summary>
public sealed class InvalidSignatureException : ProtocolException
{
    /// <summary>Creates the error with a default message.</summary>
    public InvalidSignatureException()
        : base("Signature validation failed.")
    {
    }

    /// <summary>Creates the error with a message.</summary>
    public InvalidSignatureException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a message and the error that caused it.</summary>
    public InvalidSignatureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
