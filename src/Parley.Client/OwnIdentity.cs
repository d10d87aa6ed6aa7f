namespace Parley.Client;

/// <summary>This profile's public identity. Holds no secret.</summary>
/// <param name="Username">Our username.</param>
/// <param name="DeviceId">Our device id on the relay (1 for the first device).</param>
/// <param name="RegistrationId">Our registration id.</param>
/// <param name="IdentityKey">Our public identity key (33 bytes, <c>0x05</c> + 32).</param>
/// <param name="RelayUrl">The relay we are registered with, or null for a peer-only profile.</param>
public sealed record OwnIdentity(string Username, int DeviceId, uint RegistrationId, byte[] IdentityKey, Uri? RelayUrl);
