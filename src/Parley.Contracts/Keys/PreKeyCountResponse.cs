namespace Parley.Contracts.Keys;

/// <summary>Answer of <c>GET /v1/keys/count</c>: the caller device's remaining one-time prekeys.</summary>
/// <param name="OneTimePreKeys">One-time EC prekeys left.</param>
/// <param name="OneTimeKyberPreKeys">One-time Kyber prekeys left.</param>
public sealed record PreKeyCountResponse(int OneTimePreKeys, int OneTimeKyberPreKeys);
