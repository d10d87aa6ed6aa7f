using Parley.Protocol.Keys;

namespace Parley.Protocol.Ratchet;

/// <summary>
/// A receiving chain: the peer's ratchet key, the chain key, and the skipped message keys kept for
/// out-of-order delivery (oldest first here; records store them newest first, as libsignal does).
/// </summary>
internal sealed class ReceiverChain
{
    public ReceiverChain(EcPublicKey ratchetKey, ChainKey chainKey, List<StoredMessageKey> messageKeys)
    {
        RatchetKey = ratchetKey;
        ChainKey = chainKey;
        MessageKeys = messageKeys;
    }

    public EcPublicKey RatchetKey { get; }

    public ChainKey ChainKey { get; set; }

    /// <summary>Skipped keys, oldest first.</summary>
    public List<StoredMessageKey> MessageKeys { get; }

    /// <summary>Removes and returns the stored key for <paramref name="index"/>, if any.</summary>
    public StoredMessageKey? TakeMessageKey(uint index)
    {
        for (var i = MessageKeys.Count - 1; i >= 0; i--)
        {
            if (MessageKeys[i].Index == index)
            {
                var key = MessageKeys[i];
                MessageKeys.RemoveAt(i);
                return key;
            }
        }

        return null;
    }

    /// <summary>Drops the oldest keys beyond <see cref="ProtocolLimits.MaxMessageKeys"/>.</summary>
    public void TrimMessageKeys()
    {
        var excess = MessageKeys.Count - ProtocolLimits.MaxMessageKeys;
        if (excess > 0)
        {
            MessageKeys.RemoveRange(0, excess);
        }
    }

    public ReceiverChain Clone() => new(RatchetKey, ChainKey, [.. MessageKeys]);

    public override string ToString() => $"ReceiverChain(index {ChainKey.Index}, {MessageKeys.Count} stored keys)";
}
