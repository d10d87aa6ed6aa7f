namespace Parley.Protocol;

/// <summary>A PreKey message names a pre-key id the local stores do not hold (used up, expired or never issued).</summary>
public sealed class InvalidPreKeyIdException : ProtocolException
{
    /// <summary>Creates the error with a default message.</summary>
    public InvalidPreKeyIdException()
        : base("Unknown pre-key id.")
    {
    }

    /// <summary>Creates the error with a message.</summary>
    public InvalidPreKeyIdException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a message and the error that caused it.</summary>
    public InvalidPreKeyIdException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the error for a pre-key kind and id.</summary>
    public InvalidPreKeyIdException(PreKeyKind kind, uint id)
        : base($"No {kind} pre-key with id {id}.")
    {
        Kind = kind;
        Id = id;
    }

    /// <summary>Which store was asked.</summary>
    public PreKeyKind Kind { get; }

    /// <summary>The id that was not found.</summary>
    public uint Id { get; }
}
