using Parley.Protocol.Keys;

namespace Parley.Protocol.Groups;

/// <summary>
/// One sender chain of a group sender: chain id, chain position, signing key (private only on the sender's own
/// device) and the skipped message keys (oldest first).
/// </summary>
internal sealed class SenderKeyState
{
    public SenderKeyState(uint messageVersion, uint chainId, SenderChainKey chainKey, EcPublicKey signingKey, EcPrivateKey? signingPrivateKey, List<SenderMessageKey> messageKeys)
    {
        MessageVersion = messageVersion;
        ChainId = chainId;
        ChainKey = chainKey;
        SigningKey = signingKey;
        SigningPrivateKey = signingPrivateKey;
        MessageKeys = messageKeys;
    }

    public uint MessageVersion { get; }

    public uint ChainId { get; }

    public SenderChainKey ChainKey { get; set; }

    public EcPublicKey SigningKey { get; }

    public EcPrivateKey? SigningPrivateKey { get; }

    /// <summary>Skipped keys, oldest first.</summary>
    public List<SenderMessageKey> MessageKeys { get; }

    public SenderMessageKey? TakeMessageKey(uint iteration)
    {
        for (var i = MessageKeys.Count - 1; i >= 0; i--)
        {
            if (MessageKeys[i].Iteration == iteration)
            {
                var key = MessageKeys[i];
                MessageKeys.RemoveAt(i);
                return key;
            }
        }

        return null;
    }

    public void TrimMessageKeys()
    {
        var excess = MessageKeys.Count - ProtocolLimits.MaxMessageKeys;
        if (excess > 0)
        {
            MessageKeys.RemoveRange(0, excess);
        }
    }

    public SenderKeyState Clone() => new(MessageVersion, ChainId, ChainKey, SigningKey, SigningPrivateKey, [.. MessageKeys]);

    public override string ToString() => $"SenderKeyState(chain {ChainId}, iteration {ChainKey.Iteration})";
}
