namespace Parley.Protocol;

/// <summary>
/// The root of every error Parley.Protocol raises for hostile, malformed or unusable input and state.
/// </summary>
/// <remarks>
/// Messages never contain key bytes, secrets or plaintext; where an error concerns a peer it names the
/// <see cref="ProtocolAddress"/> only. Misuse by the caller (null arguments, wrong sizes passed in code)
/// raises the standard <see cref="ArgumentException"/> family instead.
/// </remarks>
public class ProtocolException : Exception
{
    /// <summary>Creates the error with a default message.</summary>
    public ProtocolException()
        : base("Signal protocol error.")
    {
    }

    /// <summary>Creates the error with a message.</summary>
    public ProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a message and the error that caused it.</summary>
    public ProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
