namespace Parley.Contracts.Keys;

/// <summary>Answer of <c>GET /v1/keys/{username}</c>: one bundle per device of the user.</summary>
/// <param name="Username">The normalised username.</param>
/// <param name="Devices">One bundle per device, ordered by device id.</param>
public sealed record PreKeyBundleResponse(string Username, IReadOnlyList<DevicePreKeyBundle> Devices);

/// <summary>
/// What a sender needs to start a session with one device. Every one-time key in it was handed out to
/// this caller only; <see cref="KyberPreKey"/> is a one-time Kyber prekey while any is left, else the
/// device's last-resort one; <see cref="PreKey"/> is absent when the device has no one-time EC prekey left.
/// </summary>
/// <param name="DeviceId">1..127.</param>
/// <param name="RegistrationId">The device's registration id.</param>
/// <param name="IdentityKey">The device's public identity key (33 bytes).</param>
/// <param name="SignedPreKey">The device's current signed EC prekey.</param>
/// <param name="KyberPreKey">A one-time or last-resort signed Kyber1024 prekey.</param>
/// <param name="PreKey">A one-time EC prekey, or null when none is left.</param>
public sealed record DevicePreKeyBundle(
    int DeviceId,
    int RegistrationId,
    byte[] IdentityKey,
    SignedPreKey SignedPreKey,
    SignedPreKey KyberPreKey,
    PreKey? PreKey = null);
