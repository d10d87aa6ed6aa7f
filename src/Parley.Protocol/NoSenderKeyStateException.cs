namespace Parley.Protocol;

/// <summary>
/// No sender-key state exists for the sender and distribution id (or for the message's chain id): the
/// distribution message was never processed, or the state was replaced.
/// </summary>
public sealed class NoSenderKeyStateException : ProtocolException
{
    /// <summary>Creates the error with a default message.</summary>
    public NoSenderKeyStateException()
        : base("No sender key state.")
    {
    }

    /// <summary>Creates the error with a message.</summary>
    public NoSenderKeyStateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a message and the error that caused it.</summary>
    public NoSenderKeyStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the error for a distribution id.</summary>
    public NoSenderKeyStateException(Guid distributionId)
        : base($"No sender key state for distribution {distributionId}.")
    {
        DistributionId = distributionId;
    }

    /// <summary>The group distribution id.</summary>
    public Guid DistributionId { get; }
}
