namespace Parley.Client;

/// <summary>
/// The one exception type the SDK throws for expected failures. <see cref="Exception.Message"/> is a single
/// actionable line without secrets, meant to be shown to the user as is. Programming errors (null arguments,
/// use after dispose) raise the usual CLR exceptions instead.
/// </summary>
public sealed class ParleyException : Exception
{
    /// <summary>Creates an exception with a code and a one-line message.</summary>
    public ParleyException(ParleyErrorCode code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>Creates an exception with a code, a one-line message and the underlying cause.</summary>
    public ParleyException(ParleyErrorCode code, string message, Exception? innerException)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>Creates an exception without a code (<see cref="ParleyErrorCode.RelayRejected"/>).</summary>
    public ParleyException()
        : this(ParleyErrorCode.RelayRejected, "Parley operation failed.")
    {
    }

    /// <summary>Creates an exception without a code (<see cref="ParleyErrorCode.RelayRejected"/>).</summary>
    public ParleyException(string message)
        : this(ParleyErrorCode.RelayRejected, message)
    {
    }

    /// <summary>Creates an exception without a code (<see cref="ParleyErrorCode.RelayRejected"/>).</summary>
    public ParleyException(string message, Exception innerException)
        : this(ParleyErrorCode.RelayRejected, message, innerException)
    {
    }

    /// <summary>Why the operation failed.</summary>
    public ParleyErrorCode Code { get; }

    /// <summary>True when retrying later may succeed (network trouble, relay unavailable, rate limits, full mailboxes).</summary>
    public bool IsTransient => Code is ParleyErrorCode.RelayUnreachable or ParleyErrorCode.RelayUnavailable
        or ParleyErrorCode.RateLimited or ParleyErrorCode.MailboxFull;

    /// <summary>How long the relay asked us to wait, when it said so (429 Retry-After).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The code in snake_case (e.g. <c>wrong_passphrase</c>), stable for machine output.</summary>
    public string CodeName => CodeNames.Of(Code);
}
