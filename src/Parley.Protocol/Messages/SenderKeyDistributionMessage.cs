using Parley.Protocol.Keys;
using Parley.Protocol.Wire;

namespace Parley.Protocol.Messages;

/// <summary>
/// Hands a sender's group chain to one recipient: <c>0x33 ‖ protobuf</c> with 1 distribution UUID, 2 chain id
/// (31-bit), 3 iteration, 4 chain key (32 bytes), 5 signing public key (33 bytes); all required, no signature
/// (PROTOCOL.md §8). It carries a chain key, so it must only travel inside an encrypted 1:1 message.
/// </summary>
public sealed class SenderKeyDistributionMessage
{
    private const int MinimumSize = 1 + 32 + 32;
    private readonly byte[] _serialized;
    private readonly byte[] _chainKey;

    private SenderKeyDistributionMessage(byte[] serialized, int version, Guid distributionId, uint chainId, uint iteration, byte[] chainKey, EcPublicKey signingKey)
    {
        _serialized = serialized;
        MessageVersion = version;
        DistributionId = distributionId;
        ChainId = chainId;
        Iteration = iteration;
        _chainKey = chainKey;
        SigningKey = signingKey;
    }

    /// <summary>The message version (3).</summary>
    public int MessageVersion { get; }

    /// <summary>The group's distribution id.</summary>
    public Guid DistributionId { get; }

    /// <summary>The sender's chain id.</summary>
    public uint ChainId { get; }

    /// <summary>The chain position the enclosed chain key is at.</summary>
    public uint Iteration { get; }

    /// <summary>The sender's signing public key.</summary>
    public EcPublicKey SigningKey { get; }

    /// <summary>The serialized bytes (they contain a chain key: encrypt before sending).</summary>
    public ReadOnlyMemory<byte> Serialized => _serialized;

    /// <summary>The 32-byte chain key (secret).</summary>
    internal ReadOnlySpan<byte> ChainKey => _chainKey;

    /// <summary>A copy of <see cref="Serialized"/>.</summary>
    public byte[] Serialize() => (byte[])_serialized.Clone();

    /// <summary>Parses a serialized distribution message.</summary>
    /// <exception cref="UnsupportedMessageVersionException">Version other than 3.</exception>
    /// <exception cref="InvalidMessageException">Too short, malformed, a field missing or of the wrong size.</exception>
    public static SenderKeyDistributionMessage Deserialize(ReadOnlySpan<byte> serialized)
    {
        if (!TryDecode(serialized, out var message, out var failure))
        {
            throw failure.ToException(CiphertextMessageType.SenderKey);
        }

        return message;
    }

    internal static bool TryDecode(ReadOnlySpan<byte> data, out SenderKeyDistributionMessage message, out DecodeFailure failure)
    {
        message = null!;
        if (data.Length < MinimumSize)
        {
            failure = new DecodeFailure("distribution message too short.");
            return false;
        }

        if (!Messages.MessageVersion.TryCheck(data[0], Messages.MessageVersion.SenderKey, Messages.MessageVersion.SenderKey, out var version, out failure))
        {
            return false;
        }

        var reader = new ProtoReader(data[1..]);
        ReadOnlySpan<byte> uuid = default, chainKey = default, signingKey = default;
        uint chainId = 0, iteration = 0;
        bool hasUuid = false, hasChainId = false, hasIteration = false, hasChainKey = false, hasSigningKey = false;
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                failure = new DecodeFailure("malformed protobuf.");
                return false;
            }

            var ok = field switch
            {
                1 => hasUuid = reader.TryReadBytes(wireType, out uuid),
                2 => hasChainId = reader.TryReadUInt32(wireType, out chainId),
                3 => hasIteration = reader.TryReadUInt32(wireType, out iteration),
                4 => hasChainKey = reader.TryReadBytes(wireType, out chainKey),
                5 => hasSigningKey = reader.TryReadBytes(wireType, out signingKey),
                _ => reader.TrySkip(wireType),
            };
            if (!ok)
            {
                failure = new DecodeFailure("malformed protobuf.");
                return false;
            }
        }

        if (!hasUuid || !hasChainId || !hasIteration || !hasChainKey || !hasSigningKey)
        {
            failure = new DecodeFailure("missing a required field.");
            return false;
        }

        if (!Uuids.TryRead(uuid, out var distributionId))
        {
            failure = new DecodeFailure("invalid distribution id.");
            return false;
        }

        if (chainKey.Length != 32)
        {
            failure = new DecodeFailure("chain key must be 32 bytes.");
            return false;
        }

        if (signingKey.Length != EcPublicKey.SerializedSize || !EcPublicKey.TryDeserialize(signingKey, out var parsedSigningKey))
        {
            failure = new DecodeFailure("invalid signing key.");
            return false;
        }

        message = new SenderKeyDistributionMessage(data.ToArray(), version, distributionId, chainId, iteration, chainKey.ToArray(), parsedSigningKey);
        return true;
    }

    /// <summary>Builds a distribution message for the sender's current chain position.</summary>
    internal static SenderKeyDistributionMessage Create(int version, Guid distributionId, uint chainId, uint iteration, ReadOnlySpan<byte> chainKey, EcPublicKey signingKey)
    {
        var writer = new ProtoWriter(128);
        writer.WriteRawByte(Messages.MessageVersion.Encode(version, Messages.MessageVersion.SenderKey));
        writer.WriteBytesField(1, Uuids.ToBytes(distributionId));
        writer.WriteVarintField(2, chainId);
        writer.WriteVarintField(3, iteration);
        writer.WriteBytesField(4, chainKey);
        writer.WriteBytesField(5, signingKey.Serialize());
        var serialized = writer.ToArray();
        writer.Clear();
        return new SenderKeyDistributionMessage(serialized, version, distributionId, chainId, iteration, chainKey.ToArray(), signingKey);
    }

    /// <summary>Ids only; the chain key is never printed.</summary>
    public override string ToString() => $"SenderKeyDistributionMessage(chain {ChainId}, iteration {Iteration})";
}
