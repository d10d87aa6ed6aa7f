using System.Net;
using Parley.Contracts.Errors;

namespace Parley.Client.Relay;

/// <summary>A relay answer that was not a success, with its problem details when the relay sent them.</summary>
internal sealed class RelayProblemException : Exception
{
    public RelayProblemException()
    {
    }

    public RelayProblemException(string message)
        : base(message)
    {
    }

    public RelayProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RelayProblemException(HttpStatusCode status, ApiProblem? problem, TimeSpan? retryAfter)
        : base($"The relay answered {(int)status} ({problem?.Code ?? "no code"}).")
    {
        Status = status;
        Problem = problem;
        RetryAfter = retryAfter;
    }

    public HttpStatusCode Status { get; }

    public ApiProblem? Problem { get; }

    public TimeSpan? RetryAfter { get; }

    public string? Code => Problem?.Code;
}
