namespace Parley.Contracts.Accounts;

/// <summary>Answer of <c>POST /v1/accounts</c> (201).</summary>
/// <param name="Username">The normalised username.</param>
/// <param name="DeviceId">The new device's id (1 for the first device).</param>
/// <param name="Password">
/// The device credential: 32 random bytes, shown once. The relay keeps only its SHA-256.
/// Authenticate with <see cref="BasicCredentials.HeaderValue"/>.
/// </param>
public sealed record RegisterAccountResponse(string Username, int DeviceId, byte[] Password)
{
    /// <summary>The <c>Authorization</c> header value for this device.</summary>
    public string AuthorizationHeaderValue() => BasicCredentials.HeaderValue(Username, DeviceId, Password);

    /// <inheritdoc />
    public override string ToString() => $"RegisterAccountResponse {{ Username = {Username}, DeviceId = {DeviceId} }}";
}
