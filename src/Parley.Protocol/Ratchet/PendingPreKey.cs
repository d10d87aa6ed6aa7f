using Parley.Protocol.Keys;

namespace Parley.Protocol.Ratchet;

/// <summary>
/// What an initiator repeats in every PreKey message until the peer answers: the pre-key ids it used, its base
/// key, and when the session was made (seconds since the Unix epoch, as libsignal stores it).
/// </summary>
internal sealed record PendingPreKey(uint? PreKeyId, uint SignedPreKeyId, EcPublicKey BaseKey, ulong TimestampSeconds)
{
    public override string ToString() => $"PendingPreKey(signed pre-key {SignedPreKeyId})";
}

/// <summary>The Kyber pre-key id and serialized ciphertext repeated in PreKey messages.</summary>
internal sealed record PendingKyberPreKey(uint KyberPreKeyId, byte[] Ciphertext)
{
    public override string ToString() => $"PendingKyberPreKey({KyberPreKeyId})";
}
