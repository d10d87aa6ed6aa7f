using Parley.Crypto.Symmetric;

namespace Parley.Protocol.Groups;

/// <summary>
/// A sender-key chain position (PROTOCOL.md §8): message seed = HMAC-SHA256(seed, 0x01), next = HMAC-SHA256(seed, 0x02).
/// </summary>
internal sealed class SenderChainKey
{
    private static ReadOnlySpan<byte> MessageKeyInput => [0x01];
    private static ReadOnlySpan<byte> NextInput => [0x02];

    public SenderChainKey(uint iteration, byte[] seed)
    {
        Iteration = iteration;
        Seed = seed;
    }

    public uint Iteration { get; }

    /// <summary>The 32-byte chain key (never mutated in place).</summary>
    public byte[] Seed { get; }

    public bool IsExhausted => Iteration == uint.MaxValue;

    public SenderMessageKey MessageKey() => new(Iteration, Kdf.HmacSha256(Seed, MessageKeyInput));

    public SenderChainKey Next() => new(checked(Iteration + 1), Kdf.HmacSha256(Seed, NextInput));

    public override string ToString() => $"SenderChainKey(iteration {Iteration})";
}
