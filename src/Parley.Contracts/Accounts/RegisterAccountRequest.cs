using Parley.Contracts.Keys;

namespace Parley.Contracts.Accounts;

/// <summary>Body of <c>POST /v1/accounts</c>: a username and the public keys of the first device (id 1).</summary>
/// <param name="Username">3–32 characters, <c>[a-z][a-z0-9_]*</c> after trimming and lower-casing.</param>
/// <param name="RegistrationId">The device's registration id, 1..16380.</param>
/// <param name="IdentityKey">The device's public identity key, 33 bytes starting 0x05.</param>
/// <param name="SignedPreKey">The current signed EC prekey.</param>
/// <param name="LastResortKyberPreKey">The signed Kyber1024 prekey handed out when no one-time Kyber prekey is left.</param>
/// <param name="OneTimePreKeys">An optional first batch of one-time EC prekeys.</param>
/// <param name="OneTimeKyberPreKeys">An optional first batch of signed one-time Kyber1024 prekeys.</param>
public sealed record RegisterAccountRequest(
    string Username,
    int RegistrationId,
    byte[] IdentityKey,
    SignedPreKey SignedPreKey,
    SignedPreKey LastResortKyberPreKey,
    IReadOnlyList<PreKey>? OneTimePreKeys = null,
    IReadOnlyList<SignedPreKey>? OneTimeKyberPreKeys = null);
