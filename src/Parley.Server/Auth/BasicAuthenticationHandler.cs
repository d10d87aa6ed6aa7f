using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Contracts;
using Parley.Server.Accounts;
using Parley.Server.Operations;

namespace Parley.Server.Auth;

/// <summary>
/// HTTP Basic for devices: user <c>{username}.{deviceId}</c>, password base64 of the 32-byte credential.
/// An unknown device costs the same hash and comparison as a known one.
/// </summary>
internal sealed class BasicAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IAccountStore accounts)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Basic";

    // Compared against when the device does not exist, so that timing does not tell which devices exist.
    private static readonly byte[] NoSuchDeviceHash = SHA256.HashData(RandomNumberGenerator.GetBytes(32));

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!TryParse(header, out var username, out var deviceId, out var credential))
        {
            return AuthenticateResult.Fail("Malformed credentials.");
        }

        try
        {
            var login = await accounts.FindDeviceAsync(username, deviceId, Context.RequestAborted).ConfigureAwait(false);
            var matches = DeviceCredential.Matches(credential, login?.CredentialHash ?? NoSuchDeviceHash);
            if (login is null || !matches)
            {
                return AuthenticateResult.Fail("Invalid credentials.");
            }

            var device = new AuthenticatedDevice(login.AccountId, login.Username, login.DeviceId);
            return AuthenticateResult.Success(new AuthenticationTicket(AuthenticatedDevice.ToPrincipal(device, SchemeName), SchemeName));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(credential);
        }
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Basic realm=\"parley\", charset=\"UTF-8\"";
        return ProblemResult.WriteAsync(Context, Problems.Unauthorized().Problem);
    }

    /// <summary>Parses <c>Basic base64(user:password)</c>; every malformed shape is simply false.</summary>
    internal static bool TryParse(string header, out string username, out int deviceId, out byte[] credential)
    {
        username = "";
        deviceId = 0;
        credential = [];
        const string prefix = "Basic ";
        if (header.Length > 512 || !header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[384];
        if (!Convert.TryFromBase64String(header[prefix.Length..].Trim(), decoded, out var length))
        {
            return false;
        }

        string pair;
        try
        {
            pair = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(decoded[..length]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        finally
        {
            decoded.Clear();
        }

        var colon = pair.IndexOf(':', StringComparison.Ordinal);
        var dot = colon < 0 ? -1 : pair.LastIndexOf('.', colon);
        if (dot <= 0
            || !int.TryParse(pair.AsSpan(dot + 1, colon - dot - 1), NumberStyles.None, CultureInfo.InvariantCulture, out deviceId)
            || deviceId is < DeviceLimits.MinDeviceId or > DeviceLimits.MaxDeviceId
            || UsernameRules.Normalize(pair[..dot]) is not { } name)
        {
            return false;
        }

        var password = new byte[DeviceLimits.CredentialBytes];
        if (!Convert.TryFromBase64String(pair[(colon + 1)..], password, out var written) || written != DeviceLimits.CredentialBytes)
        {
            return false;
        }

        username = name;
        credential = password;
        return true;
    }
}
