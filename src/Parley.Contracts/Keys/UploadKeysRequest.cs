namespace Parley.Contracts.Keys;

/// <summary>
/// Body of <c>PUT /v1/keys</c>: any non-empty subset. A signed or last-resort key replaces the current one;
/// one-time keys are added to the device's pool (a key id already in the pool is replaced).
/// </summary>
/// <param name="SignedPreKey">A new signed EC prekey.</param>
/// <param name="LastResortKyberPreKey">A new last-resort Kyber1024 prekey.</param>
/// <param name="OneTimePreKeys">One-time EC prekeys to add.</param>
/// <param name="OneTimeKyberPreKeys">Signed one-time Kyber1024 prekeys to add.</param>
public sealed record UploadKeysRequest(
    SignedPreKey? SignedPreKey = null,
    SignedPreKey? LastResortKyberPreKey = null,
    IReadOnlyList<PreKey>? OneTimePreKeys = null,
    IReadOnlyList<SignedPreKey>? OneTimeKyberPreKeys = null);
