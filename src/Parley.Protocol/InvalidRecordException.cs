namespace Parley.Protocol;

/// <summary>
/// A stored record (session, pre-key, sender key, identity key pair) could not be decoded or is inconsistent.
/// </summary>
public sealed class InvalidRecordException : ProtocolException
{
    /// <summary>Creates the error with a default message.</summary>
    public InvalidRecordException()
        : base("Invalid record.")
    {
    }

    /// <summary>Creates the error with a message.</summary>
    public InvalidRecordException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a message and the error that caused it.</summary>
    public InvalidRecordException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
