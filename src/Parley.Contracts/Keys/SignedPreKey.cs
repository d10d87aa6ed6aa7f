namespace Parley.Contracts.Keys;

/// <summary>
/// A signed prekey: the signed EC prekey (33-byte key) or a Kyber1024 prekey (1569-byte key),
/// each with the identity key's 64-byte XEdDSA signature over the serialized public key.
/// The relay checks sizes and type bytes only; clients verify the signature.
/// </summary>
/// <param name="KeyId">The client's id for the key.</param>
/// <param name="PublicKey">The serialized public key.</param>
/// <param name="Signature">XEdDSA signature by the device's identity key.</param>
public sealed record SignedPreKey(uint KeyId, byte[] PublicKey, byte[] Signature);
