using Parley.Protocol.Keys;
using Parley.Protocol.Messages;
using Parley.Protocol.Records;
using Parley.Protocol.Stores;

namespace Parley.Protocol.Groups;

/// <summary>Creates and processes sender-key distribution messages (PROTOCOL.md §8).</summary>
public static class GroupSessionBuilder
{
    /// <summary>
    /// The distribution message for our own sender chain in group <paramref name="distributionId"/>, creating the
    /// chain on first use (random 31-bit chain id, random chain key, new signing key, iteration 0).
    /// </summary>
    public static async ValueTask<SenderKeyDistributionMessage> CreateDistributionMessageAsync(
        ProtocolAddress sender,
        Guid distributionId,
        ISenderKeyStore senderKeyStore,
        ProtocolEnvironment? environment = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(senderKeyStore);
        environment ??= ProtocolEnvironment.System;

        var loaded = await senderKeyStore.LoadSenderKeyAsync(sender, distributionId, cancellationToken).ConfigureAwait(false);
        var record = loaded?.Clone() ?? new SenderKeyRecord();
        if (record.States.Count == 0)
        {
            Span<byte> idBytes = stackalloc byte[4];
            environment.Random.GetBytes(idBytes);
            var chainId = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(idBytes) >> 1;
            var chainKey = new byte[32];
            environment.Random.GetBytes(chainKey);
            var signing = EcKeyPair.Generate(environment.Random);
            record.SetSenderKeyState(new SenderKeyState(
                (uint)MessageVersion.SenderKey, chainId, new SenderChainKey(0, chainKey), signing.PublicKey, signing.PrivateKey, []));
            await senderKeyStore.StoreSenderKeyAsync(sender, distributionId, record, cancellationToken).ConfigureAwait(false);
        }

        var state = record.States[0];
        return SenderKeyDistributionMessage.Create(
            (int)state.MessageVersion, distributionId, state.ChainId, state.ChainKey.Iteration, state.ChainKey.Seed, state.SigningKey);
    }

    /// <summary>
    /// Stores the sender chain a distribution message carries. Repeating a distribution message (same chain id and
    /// signing key) keeps the existing state and its progress; a new chain id adds a state (at most
    /// <see cref="ProtocolLimits.MaxSenderKeyStates"/>).
    /// </summary>
    public static async ValueTask ProcessDistributionMessageAsync(
        ProtocolAddress sender,
        SenderKeyDistributionMessage message,
        ISenderKeyStore senderKeyStore,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(senderKeyStore);

        var loaded = await senderKeyStore.LoadSenderKeyAsync(sender, message.DistributionId, cancellationToken).ConfigureAwait(false);
        var record = loaded?.Clone() ?? new SenderKeyRecord();
        record.AddSenderKeyState(new SenderKeyState(
            (uint)message.MessageVersion, message.ChainId, new SenderChainKey(message.Iteration, message.ChainKey.ToArray()), message.SigningKey, null, []));
        await senderKeyStore.StoreSenderKeyAsync(sender, message.DistributionId, record, cancellationToken).ConfigureAwait(false);
    }
}
