namespace Parley.Protocol;

/// <summary>
/// A message could not be parsed, failed authentication, or could not be decrypted by any session state.
/// </summary>
public class InvalidMessageException : ProtocolException
{
    /// <summary>Creates the error with a default message.</summary>
    public InvalidMessageException()
        : base("Invalid message.")
    {
    }

    /// <summary>Creates the error with a message.</summary>
    public InvalidMessageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a message and the error that caused it.</summary>
    public InvalidMessageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the error for a message of a known type.</summary>
    public InvalidMessageException(CiphertextMessageType messageType, string message)
        : base($"Invalid {Describe(messageType)} message: {message}")
    {
        MessageType = messageType;
    }

    /// <summary>The kind of message that was rejected, when known.</summary>
    public CiphertextMessageType? MessageType { get; }

    private static string Describe(CiphertextMessageType type) => type switch
    {
        CiphertextMessageType.Whisper => "Signal",
        CiphertextMessageType.PreKey => "PreKey",
        CiphertextMessageType.SenderKey => "SenderKey",
        CiphertextMessageType.Plaintext => "plaintext",
        _ => "unknown",
    };
}
