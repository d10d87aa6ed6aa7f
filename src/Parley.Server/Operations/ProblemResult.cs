using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Parley.Contracts;
using Parley.Contracts.Errors;

namespace Parley.Server.Operations;

/// <summary>An RFC 9457 problem response with Parley's stable <c>code</c>, written with the source-generated context.</summary>
internal sealed class ProblemResult(ApiProblem problem) : IResult, IStatusCodeHttpResult
{
    public ApiProblem Problem => problem;

    public int? StatusCode => problem.Status;

    public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, problem);

    public static async Task WriteAsync(HttpContext context, ApiProblem problem)
    {
        context.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        context.Response.ContentType = ParleyJson.ProblemMediaType;
        await JsonSerializer.SerializeAsync(
            context.Response.Body,
            problem with { Instance = problem.Instance ?? context.Request.Path.Value },
            ParleyJsonContext.Default.ApiProblem,
            context.RequestAborted).ConfigureAwait(false);
    }
}
