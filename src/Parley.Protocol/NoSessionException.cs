namespace Parley.Protocol;

/// <summary>
/// There is no usable session with the peer: none was ever made, or the current one cannot send (for example an
/// unacknowledged session older than <see cref="ProtocolLimits.MaxUnacknowledgedSessionAge"/>).
/// </summary>
public sealed class NoSessionException : ProtocolException
{
    /// <summary>Creates the error with a default message.</summary>
    public NoSessionException()
        : base("No session.")
    {
    }

    /// <summary>Creates the error with a message.</summary>
    public NoSessionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a message and the error that caused it.</summary>
    public NoSessionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the error for an address.</summary>
    public NoSessionException(ProtocolAddress address, string reason)
        : base($"No usable session with {address}: {reason}")
    {
        Address = address;
    }

    /// <summary>The peer, when known.</summary>
    public ProtocolAddress? Address { get; }
}
