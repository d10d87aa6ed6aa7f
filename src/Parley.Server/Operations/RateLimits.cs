using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Parley.Contracts.Errors;
using Parley.Server.Accounts;
using Parley.Server.Auth;

namespace Parley.Server.Operations;

/// <summary>
/// Fixed-window limits per client IP (every request) and per authenticated account (all its devices), plus a
/// registration limit per IP. Limits are per relay node: a cluster of N nodes admits at most N × the limit.
/// A rejection is a 429 problem with <c>Retry-After</c>.
/// </summary>
internal static class RateLimits
{
    public static IServiceCollection AddRelayRateLimits(this IServiceCollection services, RelayLimits limits) =>
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    RateLimitPartition.GetFixedWindowLimiter("ip:" + ClientAddress(context), _ => Window(limits.RequestsPerIp, limits))),
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    AuthenticatedDevice.TryFrom(context.User) is { } device
                        ? RateLimitPartition.GetFixedWindowLimiter(
                            "account:" + device.AccountId.ToString(CultureInfo.InvariantCulture), _ => Window(limits.RequestsPerAccount, limits))
                        : RateLimitPartition.GetNoLimiter("anonymous")));
            options.AddPolicy(AccountEndpoints.RegistrationRateLimit, context =>
                RateLimitPartition.GetFixedWindowLimiter("registration:" + ClientAddress(context), _ => Window(limits.RegistrationsPerIp, limits)));
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limits.RateLimitWindow;
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ProblemResult.WriteAsync(
                    rejected.HttpContext,
                    Problems.Body(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, "Too many requests.", $"Retry after {seconds} seconds.")).ConfigureAwait(false);
            };
        });

    private static FixedWindowRateLimiterOptions Window(int permits, RelayLimits limits) => new()
    {
        PermitLimit = permits,
        Window = limits.RateLimitWindow,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static string ClientAddress(HttpContext context) =>
        (context.Connection.RemoteIpAddress ?? IPAddress.None).ToString();
}
