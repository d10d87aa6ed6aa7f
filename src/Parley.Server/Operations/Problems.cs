using Microsoft.AspNetCore.Http;
using Parley.Contracts.Errors;

namespace Parley.Server.Operations;

/// <summary>Every problem the relay answers, in one place, so codes, statuses and titles stay consistent.</summary>
internal static class Problems
{
    public static ProblemResult Create(int status, string code, string title, string? detail = null) =>
        new(Body(status, code, title, detail));

    public static ApiProblem Body(int status, string code, string title, string? detail = null) =>
        new() { Type = "urn:parley:error:" + code, Status = status, Code = code, Title = title, Detail = detail };

    public static ProblemResult InvalidJson(string detail) =>
        Create(StatusCodes.Status400BadRequest, ErrorCodes.InvalidJson, "The request body is not valid for this route.", detail);

    public static ProblemResult UnsupportedMediaType() =>
        Create(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType, "The body must be application/json.");

    public static ProblemResult PayloadTooLarge(long limit) =>
        Create(StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge, "The request body is too large.", $"The limit for this route is {limit} bytes.");

    public static ProblemResult InvalidParameter(string detail) =>
        Create(StatusCodes.Status400BadRequest, ErrorCodes.InvalidParameter, "A parameter is out of range.", detail);

    public static ProblemResult Validation(string code, string detail) =>
        Create(StatusCodes.Status422UnprocessableEntity, code, "The request is well-formed but not acceptable.", detail);

    public static ProblemResult NotFound(string detail) =>
        Create(StatusCodes.Status404NotFound, ErrorCodes.NotFound, "Not found.", detail);

    public static ProblemResult Unauthorized() =>
        Create(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, "Authentication required.", "Send HTTP Basic credentials: {username}.{deviceId} and the device password.");

    public static ApiProblem ForStatus(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => Unauthorized().Problem,
        StatusCodes.Status404NotFound => Body(status, ErrorCodes.NotFound, "Not found.", "No such route."),
        StatusCodes.Status405MethodNotAllowed => Body(status, ErrorCodes.MethodNotAllowed, "Method not allowed."),
        StatusCodes.Status408RequestTimeout => Body(status, ErrorCodes.RequestTimeout, "The request was sent too slowly."),
        StatusCodes.Status413PayloadTooLarge => Body(status, ErrorCodes.PayloadTooLarge, "The request body is too large."),
        StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType().Problem,
        StatusCodes.Status429TooManyRequests => Body(status, ErrorCodes.RateLimited, "Too many requests.", "Wait for Retry-After seconds."),
        StatusCodes.Status503ServiceUnavailable => Body(status, ErrorCodes.Unavailable, "The relay is not available."),
        >= 500 => Body(status, ErrorCodes.InternalError, "The relay failed."),
        _ => Body(status, ErrorCodes.BadRequest, "Bad request."),
    };
}
