using System.Net;
using Parley.Contracts.Errors;

namespace Parley.Client.Relay;

/// <summary>Turns relay problems into <see cref="ParleyException"/>s with one-line, actionable messages.</summary>
internal static class RelayErrors
{
    public static ParleyException ToParley(RelayProblemException e, string? username = null)
    {
        var who = username is null ? "that user" : $"'{username}'";
        return (e.Status, e.Code) switch
        {
            (HttpStatusCode.Unauthorized, _) => new ParleyException(
                ParleyErrorCode.Unauthorized, "The relay no longer accepts this device's credentials (the account or device was deleted).", e),
            (HttpStatusCode.NotFound, ErrorCodes.NotFound) when username is not null => new ParleyException(
                ParleyErrorCode.NoSuchUser, $"No user {who} is registered on this relay.", e),
            (_, ErrorCodes.UsernameTaken) => new ParleyException(ParleyErrorCode.UsernameTaken, $"The username {who} is already taken on this relay.", e),
            (_, ErrorCodes.UsernameInvalid) => new ParleyException(
                ParleyErrorCode.InvalidUsername, "The relay refused the username: use 3–32 of a–z, 0–9 and _, starting with a letter.", e),
            (HttpStatusCode.TooManyRequests, _) => new ParleyException(
                ParleyErrorCode.RateLimited, $"The relay is rate limiting this client; try again in {Seconds(e.RetryAfter)} s.", e) { RetryAfter = e.RetryAfter },
            (_, ErrorCodes.MailboxFull) => new ParleyException(ParleyErrorCode.MailboxFull, $"The mailbox of {who} on the relay is full; try again later.", e),
            (HttpStatusCode.RequestEntityTooLarge, _) => new ParleyException(ParleyErrorCode.MessageTooLarge, "The relay refused the message as too large.", e),
            ((HttpStatusCode)507, _) or (>= HttpStatusCode.InternalServerError, _) => new ParleyException(
                ParleyErrorCode.RelayUnavailable, $"The relay is unavailable ({(int)e.Status}); try again later.", e),
            _ => new ParleyException(
                ParleyErrorCode.RelayRejected, $"The relay rejected the request ({(int)e.Status} {e.Code ?? "no code"}): {OneLine(e.Problem?.Title)}", e),
        };
    }

    public static ParleyException Unreachable(Uri relay, Exception inner) =>
        new(ParleyErrorCode.RelayUnreachable, $"The relay at {relay} cannot be reached; check the address and your connection.", inner);

    private static string Seconds(TimeSpan? delay) => delay is { } d ? Math.Ceiling(d.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) : "a few";

    private static string OneLine(string? text) =>
        string.IsNullOrWhiteSpace(text) ? "no details." : text.ReplaceLineEndings(" ").Trim();
}
