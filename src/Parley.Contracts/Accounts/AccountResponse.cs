namespace Parley.Contracts.Accounts;

/// <summary>Answer of <c>GET /v1/accounts/me</c>.</summary>
/// <param name="Username">The normalised username.</param>
/// <param name="Devices">The account's devices, by id.</param>
public sealed record AccountResponse(string Username, IReadOnlyList<DeviceInfo> Devices);

/// <summary>One device of an account.</summary>
/// <param name="DeviceId">1..127.</param>
/// <param name="RegistrationId">The device's registration id.</param>
public sealed record DeviceInfo(int DeviceId, int RegistrationId);
