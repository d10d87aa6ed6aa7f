using System.Security.Cryptography;
using Parley.Crypto.Symmetric;
using Parley.Protocol.Messages;
using Parley.Protocol.Stores;

namespace Parley.Protocol.Groups;

/// <summary>Encrypts and decrypts group messages with sender keys (PROTOCOL.md §8).</summary>
/// <remarks>Decryption is transactional: the record is stored only after the signature verified and the body decrypted.</remarks>
public static class GroupCipher
{
    /// <summary>Encrypts with our sender chain for <paramref name="distributionId"/> and advances it.</summary>
    /// <exception cref="NoSenderKeyStateException">No distribution message was created for this group.</exception>
    public static async ValueTask<SenderKeyMessage> EncryptAsync(
        ProtocolAddress sender,
        Guid distributionId,
        ReadOnlyMemory<byte> plaintext,
        ISenderKeyStore senderKeyStore,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(senderKeyStore);

        var loaded = await senderKeyStore.LoadSenderKeyAsync(sender, distributionId, cancellationToken).ConfigureAwait(false)
            ?? throw new NoSenderKeyStateException(distributionId);
        var record = loaded.Clone();
        if (record.States.Count == 0)
        {
            throw new NoSenderKeyStateException(distributionId);
        }

        var state = record.States[0];
        if (state.SigningPrivateKey is null || state.ChainKey.IsExhausted)
        {
            throw new NoSenderKeyStateException($"Cannot send in distribution {distributionId}: the state is not our own sending chain.");
        }

        var messageKey = state.ChainKey.MessageKey();
        var (iv, cipherKey) = messageKey.Derive();
        byte[] ciphertext;
        try
        {
            ciphertext = AesCbc.Encrypt(cipherKey, iv, plaintext.Span);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(cipherKey);
        }

        var message = SenderKeyMessage.Create((int)state.MessageVersion, distributionId, state.ChainId, messageKey.Iteration, ciphertext, state.SigningPrivateKey);
        state.ChainKey = state.ChainKey.Next();
        await senderKeyStore.StoreSenderKeyAsync(sender, distributionId, record, cancellationToken).ConfigureAwait(false);
        return message;
    }

    /// <summary>Decrypts a group message from <paramref name="sender"/>.</summary>
    /// <exception cref="NoSenderKeyStateException">No state for this distribution id and chain id.</exception>
    /// <exception cref="InvalidSignatureException">The signature does not verify.</exception>
    /// <exception cref="DuplicateMessageException">Already decrypted.</exception>
    /// <exception cref="InvalidMessageException">Too far in the future, or the body does not decrypt.</exception>
    public static async ValueTask<byte[]> DecryptAsync(
        ProtocolAddress sender,
        SenderKeyMessage message,
        ISenderKeyStore senderKeyStore,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(senderKeyStore);

        var loaded = await senderKeyStore.LoadSenderKeyAsync(sender, message.DistributionId, cancellationToken).ConfigureAwait(false)
            ?? throw new NoSenderKeyStateException(message.DistributionId);
        var record = loaded.Clone();
        var state = record.StateForChainId(message.ChainId) ?? throw new NoSenderKeyStateException(message.DistributionId);
        if (message.MessageVersion != state.MessageVersion)
        {
            throw new UnsupportedMessageVersionException(message.MessageVersion, message.MessageVersion < state.MessageVersion);
        }

        if (!message.VerifySignature(state.SigningKey))
        {
            throw new InvalidSignatureException("Sender key message signature does not verify.");
        }

        var messageKey = TakeMessageKey(state, message.Iteration);
        var (iv, cipherKey) = messageKey.Derive();
        byte[]? plaintext;
        try
        {
            plaintext = AesCbc.TryDecrypt(cipherKey, iv, message.Ciphertext.Span);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(cipherKey);
        }

        if (plaintext is null)
        {
            throw new InvalidMessageException(CiphertextMessageType.SenderKey, "decryption failed.");
        }

        await senderKeyStore.StoreSenderKeyAsync(sender, message.DistributionId, record, cancellationToken).ConfigureAwait(false);
        return plaintext;
    }

    private static SenderMessageKey TakeMessageKey(SenderKeyState state, uint iteration)
    {
        var chainKey = state.ChainKey;
        if (chainKey.Iteration > iteration)
        {
            return state.TakeMessageKey(iteration) ?? throw new DuplicateMessageException(chainKey.Iteration, iteration);
        }

        if (iteration - chainKey.Iteration > ProtocolLimits.MaxForwardJumps)
        {
            throw new InvalidMessageException(CiphertextMessageType.SenderKey, "message from too far into the future.");
        }

        if (iteration == uint.MaxValue)
        {
            throw new InvalidMessageException(CiphertextMessageType.SenderKey, "iteration out of range.");
        }

        var firstKept = iteration > (uint)ProtocolLimits.MaxMessageKeys ? iteration - (uint)ProtocolLimits.MaxMessageKeys : 0;
        while (chainKey.Iteration < iteration)
        {
            if (chainKey.Iteration >= firstKept)
            {
                state.MessageKeys.Add(chainKey.MessageKey());
            }

            chainKey = chainKey.Next();
        }

        state.TrimMessageKeys();
        state.ChainKey = chainKey.Next();
        return chainKey.MessageKey();
    }
}
