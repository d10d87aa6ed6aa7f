using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Parley.Server.Operations;

/// <summary>
/// The outermost middleware: an HTTP-level fault becomes its problem response, a relay bug becomes a 500
/// problem with the details in the log only. A request never ends in an empty 500.
/// </summary>
internal sealed class ProblemBoundary(RequestDelegate next, ILogger<ProblemBoundary> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await ProblemResult.WriteAsync(context, Problems.ForStatus(e.StatusCode)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
#pragma warning disable CA1031 // The boundary exists to turn any unexpected failure into a problem response.
        catch (Exception e) when (!context.Response.HasStarted)
#pragma warning restore CA1031
        {
            RelayLog.Unhandled(logger, e, e.GetType().Name, context.Request.Method, context.Request.Path.Value ?? "");
            context.Response.Clear();
            await ProblemResult.WriteAsync(context, Problems.ForStatus(StatusCodes.Status500InternalServerError)).ConfigureAwait(false);
        }
    }
}
