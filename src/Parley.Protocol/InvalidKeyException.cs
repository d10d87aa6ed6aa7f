namespace Parley.Protocol;

/// <summary>A serialized key has the wrong length or structure, or is not acceptable where it was used.</summary>
public class InvalidKeyException : ProtocolException
{
    /// <summary>Creates the error with a default message.</summary>
    public InvalidKeyException()
        : base("Invalid key.")
    {
    }

    /// <summary>Creates the error with a message.</summary>
    public InvalidKeyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a message and the error that caused it.</summary>
    public InvalidKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
