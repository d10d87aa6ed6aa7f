using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Parley.Contracts;
using Parley.Contracts.Errors;
using Parley.Contracts.Keys;
using Parley.Server.Accounts;
using Parley.Server.Auth;
using Parley.Server.Operations;

namespace Parley.Server.Keys;

/// <summary><c>PUT /v1/keys</c>, <c>GET /v1/keys/count</c>, <c>GET /v1/keys/{username}</c>.</summary>
internal static class KeyEndpoints
{
    public static void MapKeys(this IEndpointRouteBuilder routes)
    {
        routes.MapPut(ApiPaths.Keys, UploadAsync);
        routes.MapGet(ApiPaths.KeyCount, CountAsync);
        routes.MapGet(ApiPaths.BundleTemplate, BundlesAsync);
    }

    private static async Task<IResult> UploadAsync(HttpContext context, IKeyDirectory keys, RelayLimits limits)
    {
        var me = AuthenticatedDevice.From(context.User);
        var (request, problem) = await RequestBody.ReadAsync(context, ParleyJsonContext.Default.UploadKeysRequest, limits.MaxKeysBodyBytes).ConfigureAwait(false);
        if (request is null)
        {
            return problem!;
        }

        if (KeyValidation.Upload(request, limits) is { } invalid)
        {
            return invalid;
        }

        return await keys.UploadAsync(me.Address, request, limits.MaxOneTimePreKeysPerDevice, CancellationToken.None).ConfigureAwait(false) switch
        {
            KeyUploadOutcome.Stored => TypedResults.NoContent(),
            KeyUploadOutcome.TooManyOneTimePreKeys => Problems.Create(
                StatusCodes.Status409Conflict,
                ErrorCodes.PreKeyLimit,
                "Too many one-time prekeys.",
                $"A device holds at most {limits.MaxOneTimePreKeysPerDevice} one-time prekeys of each kind."),
            _ => Problems.Unauthorized(),
        };
    }

    private static async Task<IResult> CountAsync(HttpContext context, IKeyDirectory keys)
    {
        var me = AuthenticatedDevice.From(context.User);
        return TypedResults.Ok(await keys.CountAsync(me.Address, context.RequestAborted).ConfigureAwait(false));
    }

    private static async Task<IResult> BundlesAsync(string username, HttpContext context, IAccountStore accounts, IKeyDirectory keys)
    {
        var name = UsernameRules.Normalize(username);
        var account = name is null ? null : await accounts.FindAsync(name, context.RequestAborted).ConfigureAwait(false);
        if (account is null)
        {
            return Problems.NotFound("No such account.");
        }

        var bundles = await keys.ClaimBundlesAsync(account.AccountId, CancellationToken.None).ConfigureAwait(false);
        return bundles.Count == 0
            ? Problems.NotFound("No such account.")
            : TypedResults.Ok(new PreKeyBundleResponse(account.Username, bundles));
    }
}
