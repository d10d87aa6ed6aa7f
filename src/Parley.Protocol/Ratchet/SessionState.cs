using System.Security.Cryptography;
using Parley.Protocol.Keys;

namespace Parley.Protocol.Ratchet;

/// <summary>
/// One Double Ratchet session with a peer — the working form of libsignal's <c>SessionStructure</c>.
/// Mutable; every decryption attempt works on a <see cref="Clone"/> and keeps it only on success.
/// </summary>
internal sealed class SessionState
{
    public SessionState(uint version, IdentityKey localIdentity, IdentityKey? remoteIdentity, byte[] rootKey, byte[] aliceBaseKey)
    {
        Version = version;
        LocalIdentity = localIdentity;
        RemoteIdentity = remoteIdentity;
        RootKey = rootKey;
        AliceBaseKey = aliceBaseKey;
    }

    /// <summary>Session version (4 for PQXDH sessions).</summary>
    public uint Version { get; }

    public IdentityKey LocalIdentity { get; }

    public IdentityKey? RemoteIdentity { get; }

    /// <summary>The 32-byte root key (replaced, never mutated in place).</summary>
    public byte[] RootKey { get; set; }

    public uint PreviousCounter { get; set; }

    public SenderChain? SenderChain { get; set; }

    /// <summary>Receiving chains, oldest first (libsignal's order).</summary>
    public List<ReceiverChain> ReceiverChains { get; private init; } = [];

    public PendingPreKey? PendingPreKey { get; set; }

    public PendingKyberPreKey? PendingKyberPreKey { get; set; }

    public uint RemoteRegistrationId { get; set; }

    public uint LocalRegistrationId { get; set; }

    /// <summary>The initiator's serialized base key: matches repeated PreKey messages to this session.</summary>
    public byte[] AliceBaseKey { get; }

    /// <summary>
    /// A post-quantum ratchet state (record field 15) that has already committed to SPQR. Parley does not implement
    /// SPQR, so such a state is kept intact but cannot encrypt or decrypt. Null for every state Parley can use.
    /// </summary>
    public byte[]? RequiredPqRatchetState { get; set; }

    /// <summary>True for a note-to-self session (same identity both ends); it has no forward-jump limit.</summary>
    public bool IsSelfSession => RemoteIdentity is not null && RemoteIdentity.Equals(LocalIdentity);

    public bool HasAliceBaseKey(ReadOnlySpan<byte> baseKey) => CryptographicOperations.FixedTimeEquals(AliceBaseKey, baseKey);

    public ReceiverChain? FindReceiverChain(EcPublicKey ratchetKey)
    {
        foreach (var chain in ReceiverChains)
        {
            if (chain.RatchetKey.Equals(ratchetKey))
            {
                return chain;
            }
        }

        return null;
    }

    /// <summary>Appends a receiving chain, dropping the oldest beyond <see cref="ProtocolLimits.MaxReceiverChains"/>.</summary>
    public ReceiverChain AddReceiverChain(EcPublicKey ratchetKey, ChainKey chainKey)
    {
        var chain = new ReceiverChain(ratchetKey, chainKey, []);
        ReceiverChains.Add(chain);
        if (ReceiverChains.Count > ProtocolLimits.MaxReceiverChains)
        {
            ReceiverChains.RemoveAt(0);
        }

        return chain;
    }

    public void ClearPendingPreKey()
    {
        PendingPreKey = null;
        PendingKyberPreKey = null;
    }

    public SessionState Clone()
    {
        var clone = new SessionState(Version, LocalIdentity, RemoteIdentity, RootKey, AliceBaseKey)
        {
            PreviousCounter = PreviousCounter,
            SenderChain = SenderChain?.Clone(),
            ReceiverChains = ReceiverChains.ConvertAll(c => c.Clone()),
            PendingPreKey = PendingPreKey,
            PendingKyberPreKey = PendingKyberPreKey,
            RemoteRegistrationId = RemoteRegistrationId,
            LocalRegistrationId = LocalRegistrationId,
            RequiredPqRatchetState = RequiredPqRatchetState,
        };
        return clone;
    }

    public override string ToString() => $"SessionState(v{Version}, {ReceiverChains.Count} receiver chains)";
}
