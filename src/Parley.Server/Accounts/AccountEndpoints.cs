using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Parley.Contracts;
using Parley.Contracts.Accounts;
using Parley.Contracts.Errors;
using Parley.Server.Auth;
using Parley.Server.Keys;
using Parley.Server.Operations;
using Parley.Server.Realtime;

namespace Parley.Server.Accounts;

/// <summary><c>POST /v1/accounts</c>, <c>GET</c> and <c>DELETE /v1/accounts/me</c>.</summary>
internal static class AccountEndpoints
{
    public const string RegistrationRateLimit = "registration";

    public static void MapAccounts(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(ApiPaths.Accounts, RegisterAsync).AllowAnonymous().RequireRateLimiting(RegistrationRateLimit);
        routes.MapGet(ApiPaths.CurrentAccount, GetAsync);
        routes.MapDelete(ApiPaths.CurrentAccount, DeleteAsync);
    }

    private static async Task<IResult> RegisterAsync(
        HttpContext context, IAccountStore accounts, RelayLimits limits, TimeProvider time, OperatorLog log)
    {
        var (request, problem) = await RequestBody.ReadAsync(context, ParleyJsonContext.Default.RegisterAccountRequest, limits.MaxKeysBodyBytes).ConfigureAwait(false);
        if (request is null)
        {
            return problem!;
        }

        if (UsernameRules.Explain(request.Username, out var username) is { } why)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, ErrorCodes.UsernameInvalid, "The username is not valid.", why);
        }

        if (KeyValidation.Registration(request, limits) is { } invalid)
        {
            return invalid;
        }

        var credential = DeviceCredential.Generate();
        var device = new NewDevice(
            DeviceLimits.MinDeviceId,
            DeviceCredential.Hash(credential),
            request.RegistrationId,
            request.IdentityKey,
            request.SignedPreKey,
            request.LastResortKyberPreKey,
            request.OneTimePreKeys ?? [],
            request.OneTimeKyberPreKeys ?? []);
        var created = await accounts.CreateAsync(new NewAccount(username, time.GetUtcNow().ToUnixTimeMilliseconds(), device), CancellationToken.None).ConfigureAwait(false);
        if (created is null)
        {
            return Problems.Create(StatusCodes.Status409Conflict, ErrorCodes.UsernameTaken, "The username is taken.", $"'{username}' is registered already.");
        }

        log.Registered(username, device.DeviceId);
        return TypedResults.Created(
            ApiPaths.CurrentAccount,
            new RegisterAccountResponse(username, device.DeviceId, credential));
    }

    private static async Task<IResult> GetAsync(HttpContext context, IAccountStore accounts)
    {
        var me = AuthenticatedDevice.From(context.User);
        var account = await accounts.GetAsync(me.AccountId, context.RequestAborted).ConfigureAwait(false);
        return account is null
            ? Problems.Unauthorized()
            : TypedResults.Ok(new AccountResponse(account.Username, account.Devices));
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, IAccountStore accounts, IDeliveryNotifier notifier, OperatorLog log)
    {
        var me = AuthenticatedDevice.From(context.User);
        var account = await accounts.GetAsync(me.AccountId, CancellationToken.None).ConfigureAwait(false);
        await accounts.DeleteAsync(me.AccountId, CancellationToken.None).ConfigureAwait(false);
        foreach (var device in account?.Devices ?? [])
        {
            // Open streams of the account wake up, find their device gone and close.
            await notifier.NotifyAsync(new DeviceAddress(me.AccountId, device.DeviceId), CancellationToken.None).ConfigureAwait(false);
        }

        log.AccountDeleted(me.Username);
        return TypedResults.NoContent();
    }
}
