using Parley.Protocol.Keys;

namespace Parley.Protocol.Ratchet;

/// <summary>The sending chain: our current ratchet key pair and chain key.</summary>
internal sealed class SenderChain
{
    public SenderChain(EcKeyPair ratchetKeyPair, ChainKey chainKey)
    {
        RatchetKeyPair = ratchetKeyPair;
        ChainKey = chainKey;
    }

    public EcKeyPair RatchetKeyPair { get; }

    public ChainKey ChainKey { get; set; }

    public SenderChain Clone() => new(RatchetKeyPair, ChainKey);

    public override string ToString() => $"SenderChain(index {ChainKey.Index})";
}
