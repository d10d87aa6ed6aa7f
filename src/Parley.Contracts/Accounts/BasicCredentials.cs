using System.Globalization;
using System.Text;

namespace Parley.Contracts.Accounts;

/// <summary>
/// How a device authenticates: HTTP Basic with user <c>{username}.{deviceId}</c> and password
/// <c>base64(credential)</c>. Usernames never contain a dot, so the split is unambiguous.
/// </summary>
public static class BasicCredentials
{
    /// <summary>The Basic user name for a device.</summary>
    public static string UserName(string username, int deviceId) =>
        username + "." + deviceId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The full <c>Authorization</c> header value (<c>Basic …</c>).</summary>
    public static string HeaderValue(string username, int deviceId, ReadOnlySpan<byte> credential)
    {
        var pair = UserName(username, deviceId) + ":" + Convert.ToBase64String(credential);
        return "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(pair));
    }

    /// <summary>The parameter part of the header (after <c>Basic </c>), for <c>AuthenticationHeaderValue</c>.</summary>
    public static string Parameter(string username, int deviceId, ReadOnlySpan<byte> credential) =>
        HeaderValue(username, deviceId, credential)["Basic ".Length..];
}
