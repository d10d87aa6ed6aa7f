using Parley.Crypto.Symmetric;

namespace Parley.Protocol.Ratchet;

/// <summary>
/// A symmetric-ratchet chain key and its index (PROTOCOL.md §6.1): the message-key seed is
/// HMAC-SHA256(CK, 0x01); the next chain key is HMAC-SHA256(CK, 0x02).
/// </summary>
internal sealed class ChainKey
{
    public const int Size = 32;
    private static ReadOnlySpan<byte> MessageKeySeedInput => [0x01];
    private static ReadOnlySpan<byte> NextChainKeyInput => [0x02];

    public ChainKey(byte[] key, uint index)
    {
        if (key.Length != Size)
        {
            throw new ArgumentException("Chain keys are 32 bytes.", nameof(key));
        }

        Key = key;
        Index = index;
    }

    /// <summary>The 32-byte chain key (never mutated in place).</summary>
    public byte[] Key { get; }

    /// <summary>The index of the next message this chain will key.</summary>
    public uint Index { get; }

    /// <summary>True when <see cref="Next"/> would overflow the 32-bit index.</summary>
    public bool IsExhausted => Index == uint.MaxValue;

    public byte[] MessageKeySeed() => Kdf.HmacSha256(Key, MessageKeySeedInput);

    public ChainKey Next() => new(Kdf.HmacSha256(Key, NextChainKeyInput), checked(Index + 1));

    public override string ToString() => $"ChainKey(index {Index})";
}
