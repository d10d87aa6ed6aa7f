using System.Security.Cryptography;
using Parley.Crypto.Symmetric;
using Parley.Protocol.Keys;
using Parley.Protocol.Messages;

namespace Parley.Protocol.Ratchet;

/// <summary>
/// Double Ratchet encryption and decryption against one <see cref="SessionState"/> (PROTOCOL.md §6.2–§6.3).
/// </summary>
internal static class DoubleRatchet
{
    /// <summary>Encrypts with the sending chain and advances it. PreKey-wraps while the session is unacknowledged.</summary>
    public static CiphertextMessage Encrypt(SessionState state, ReadOnlySpan<byte> plaintext, byte[]? addresses)
    {
        var senderChain = state.SenderChain ?? throw new InvalidOperationException("Session has no sender chain.");
        var remoteIdentity = state.RemoteIdentity ?? throw new InvalidOperationException("Session has no remote identity.");
        var chainKey = senderChain.ChainKey;
        if (chainKey.IsExhausted)
        {
            throw new InvalidOperationException("Sending chain exhausted.");
        }

        var seed = chainKey.MessageKeySeed();
        var keys = MessageKeys.FromSeed(seed, chainKey.Index);
        CryptographicOperations.ZeroMemory(seed);
        var ciphertext = AesCbc.Encrypt(keys.CipherKey, keys.Iv, plaintext);
        var version = (int)state.Version;

        CiphertextMessage message;
        if (state.PendingPreKey is { } pending)
        {
            var signal = SignalMessage.Create(
                version, keys.MacKey, senderChain.RatchetKeyPair.PublicKey, chainKey.Index, state.PreviousCounter, ciphertext, state.LocalIdentity, remoteIdentity, addresses);
            message = PreKeySignalMessage.Create(
                version,
                state.LocalRegistrationId,
                pending.PreKeyId,
                pending.SignedPreKeyId,
                state.PendingKyberPreKey?.KyberPreKeyId,
                state.PendingKyberPreKey?.Ciphertext,
                pending.BaseKey,
                state.LocalIdentity,
                signal);
        }
        else
        {
            message = SignalMessage.Create(
                version, keys.MacKey, senderChain.RatchetKeyPair.PublicKey, chainKey.Index, state.PreviousCounter, ciphertext, state.LocalIdentity, remoteIdentity, null);
        }

        Wipe(keys);
        senderChain.ChainKey = chainKey.Next();
        return message;
    }

    /// <summary>
    /// Tries to decrypt with <paramref name="state"/>, mutating it. Callers pass a clone and keep it only on
    /// <see cref="DecryptOutcome.Success"/>. <paramref name="expectedAddresses"/> is the <c>addresses</c> field the
    /// message must carry if it has one, or null when either address is not a ServiceId (then a present field is
    /// rejected).
    /// </summary>
    public static DecryptOutcome TryDecrypt(
        SessionState state,
        SignalMessage message,
        byte[]? expectedAddresses,
        RandomNumberGenerator random,
        out byte[] plaintext,
        out string failure)
    {
        plaintext = [];
        failure = string.Empty;
        if (state.RequiredPqRatchetState is not null)
        {
            failure = "session requires the post-quantum ratchet.";
            return DecryptOutcome.Failed;
        }

        if (message.MessageVersion != state.Version)
        {
            failure = "message version does not match the session.";
            return DecryptOutcome.Failed;
        }

        if (state.SenderChain is null || state.RemoteIdentity is null)
        {
            failure = "session has no sender chain.";
            return DecryptOutcome.Failed;
        }

        var theirRatchetKey = message.SenderRatchetKey;
        var chain = state.FindReceiverChain(theirRatchetKey);
        if (chain is null && !TryRatchetStep(state, theirRatchetKey, random, out chain))
        {
            failure = "invalid ratchet key.";
            return DecryptOutcome.Failed;
        }

        var outcome = TryTakeMessageKeys(state, chain!, message.Counter, out var keys, out failure);
        if (outcome != DecryptOutcome.Success)
        {
            return outcome;
        }

        try
        {
            if (!message.VerifyMac(state.RemoteIdentity, state.LocalIdentity, keys!.MacKey))
            {
                failure = "MAC verification failed.";
                return DecryptOutcome.Failed;
            }

            if (message.HasAddresses && (expectedAddresses is null || !message.Addresses.Span.SequenceEqual(expectedAddresses)))
            {
                failure = "sender or recipient address mismatch.";
                return DecryptOutcome.Failed;
            }

            var decrypted = AesCbc.TryDecrypt(keys.CipherKey, keys.Iv, message.Ciphertext.Span);
            if (decrypted is null)
            {
                failure = "failed to decrypt.";
                return DecryptOutcome.Failed;
            }

            plaintext = decrypted;
            state.ClearPendingPreKey();
            return DecryptOutcome.Success;
        }
        finally
        {
            Wipe(keys!);
        }
    }

    /// <summary>The DH ratchet step for a new peer ratchet key (§6.3 step 2).</summary>
    private static bool TryRatchetStep(SessionState state, EcPublicKey theirRatchetKey, RandomNumberGenerator random, out ReceiverChain? chain)
    {
        chain = null;
        var senderChain = state.SenderChain!;
        if (!RootKey.TryCreateChain(state.RootKey, theirRatchetKey, senderChain.RatchetKeyPair.PrivateKey, out var receivingRoot, out var receivingChain))
        {
            return false;
        }

        var ourNewRatchetKey = EcKeyPair.Generate(random);
        if (!RootKey.TryCreateChain(receivingRoot, theirRatchetKey, ourNewRatchetKey.PrivateKey, out var sendingRoot, out var sendingChain))
        {
            return false;
        }

        state.RootKey = sendingRoot;
        chain = state.AddReceiverChain(theirRatchetKey, receivingChain);
        var currentIndex = senderChain.ChainKey.Index;
        state.PreviousCounter = currentIndex > 0 ? currentIndex - 1 : 0;
        state.SenderChain = new SenderChain(ourNewRatchetKey, sendingChain);
        return true;
    }

    /// <summary>Takes a stored skipped key, or advances the chain to <paramref name="counter"/> (§6.3 step 3).</summary>
    private static DecryptOutcome TryTakeMessageKeys(SessionState state, ReceiverChain chain, uint counter, out MessageKeys? keys, out string failure)
    {
        keys = null;
        failure = string.Empty;
        var chainKey = chain.ChainKey;
        if (chainKey.Index > counter)
        {
            var stored = chain.TakeMessageKey(counter);
            if (stored is null)
            {
                failure = "duplicate message.";
                return DecryptOutcome.Duplicate;
            }

            keys = stored.ToMessageKeys();
            return DecryptOutcome.Success;
        }

        if (counter - chainKey.Index > ProtocolLimits.MaxForwardJumps && !state.IsSelfSession)
        {
            failure = "message from too far into the future.";
            return DecryptOutcome.Failed;
        }

        if (counter == uint.MaxValue)
        {
            failure = "counter out of range.";
            return DecryptOutcome.Failed;
        }

        // Only the newest MaxMessageKeys skipped keys survive, so older ones are never stored at all.
        var firstKept = counter > (uint)ProtocolLimits.MaxMessageKeys ? counter - (uint)ProtocolLimits.MaxMessageKeys : 0;
        while (chainKey.Index < counter)
        {
            if (chainKey.Index >= firstKept)
            {
                chain.MessageKeys.Add(StoredMessageKey.FromSeed(chainKey.Index, chainKey.MessageKeySeed()));
            }

            chainKey = chainKey.Next();
        }

        chain.TrimMessageKeys();
        var seed = chainKey.MessageKeySeed();
        keys = MessageKeys.FromSeed(seed, counter);
        CryptographicOperations.ZeroMemory(seed);
        chain.ChainKey = chainKey.Next();
        return DecryptOutcome.Success;
    }

    private static void Wipe(MessageKeys? keys)
    {
        if (keys is null)
        {
            return;
        }

        CryptographicOperations.ZeroMemory(keys.CipherKey);
        CryptographicOperations.ZeroMemory(keys.MacKey);
    }
}
