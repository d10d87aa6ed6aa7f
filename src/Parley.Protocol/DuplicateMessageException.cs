namespace Parley.Protocol;

/// <summary>
/// A message was already decrypted (or its key was dropped as too old): its counter lies behind the chain and
/// no stored key remains for it. Replays end here.
/// </summary>
public sealed class DuplicateMessageException : ProtocolException
{
    /// <summary>Creates the error with a default message.</summary>
    public DuplicateMessageException()
        : base("Duplicate message.")
    {
    }

    /// <summary>Creates the error with a message.</summary>
    public DuplicateMessageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a message and the error that caused it.</summary>
    public DuplicateMessageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the error for a chain position and the counter received.</summary>
    public DuplicateMessageException(uint chainIndex, uint counter)
        : base($"Duplicate message: counter {counter} is behind the chain at {chainIndex} and no key is stored for it.")
    {
        ChainIndex = chainIndex;
        Counter = counter;
    }

    /// <summary>The receiving chain's next index.</summary>
    public uint ChainIndex { get; }

    /// <summary>The counter (or sender-key iteration) the message carried.</summary>
    public uint Counter { get; }
}
