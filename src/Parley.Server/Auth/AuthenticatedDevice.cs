using System.Globalization;
using System.Security.Claims;

namespace Parley.Server.Auth;

/// <summary>The device a request authenticated as.</summary>
internal sealed record AuthenticatedDevice(long AccountId, string Username, int DeviceId)
{
    public const string AccountIdClaim = "parley:account";
    public const string DeviceIdClaim = "parley:device";

    public DeviceAddress Address => new(AccountId, DeviceId);

    /// <summary><c>username.deviceId</c>, as in the operator log.</summary>
    public string Display => Username + "." + DeviceId.ToString(CultureInfo.InvariantCulture);

    public static ClaimsPrincipal ToPrincipal(AuthenticatedDevice device, string scheme) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, device.Username),
                new Claim(AccountIdClaim, device.AccountId.ToString(CultureInfo.InvariantCulture)),
                new Claim(DeviceIdClaim, device.DeviceId.ToString(CultureInfo.InvariantCulture)),
            ],
            scheme));

    /// <summary>The device of an authenticated principal; throws for an anonymous one (a routing bug).</summary>
    public static AuthenticatedDevice From(ClaimsPrincipal user) =>
        TryFrom(user) ?? throw new InvalidOperationException("The endpoint requires an authenticated device.");

    public static AuthenticatedDevice? TryFrom(ClaimsPrincipal user)
    {
        var account = user.FindFirst(AccountIdClaim)?.Value;
        var device = user.FindFirst(DeviceIdClaim)?.Value;
        var name = user.Identity?.Name;
        return account is null || device is null || name is null
            ? null
            : new AuthenticatedDevice(
                long.Parse(account, CultureInfo.InvariantCulture),
                name,
                int.Parse(device, CultureInfo.InvariantCulture));
    }
}
