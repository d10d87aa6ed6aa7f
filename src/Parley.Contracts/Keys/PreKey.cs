namespace Parley.Contracts.Keys;

/// <summary>A one-time EC prekey: id and public key (33 bytes, 0x05 + 32).</summary>
/// <param name="KeyId">The client's id for the key.</param>
/// <param name="PublicKey">The serialized public key.</param>
public sealed record PreKey(uint KeyId, byte[] PublicKey);
