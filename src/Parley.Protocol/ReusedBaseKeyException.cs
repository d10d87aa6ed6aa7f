namespace Parley.Protocol;

/// <summary>
/// A PreKey message reuses a (Kyber pre-key, signed pre-key, base key) combination that already started a session:
/// a replay against a last-resort Kyber pre-key after its session was gone.
/// </summary>
public sealed class ReusedBaseKeyException : InvalidMessageException
{
    /// <summary>Creates the error with a default message.</summary>
    public ReusedBaseKeyException()
        : base(CiphertextMessageType.PreKey, "base key already used with this Kyber pre-key.")
    {
    }

    /// <summary>Creates the error with a message.</summary>
    public ReusedBaseKeyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a message and the error that caused it.</summary>
    public ReusedBaseKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
