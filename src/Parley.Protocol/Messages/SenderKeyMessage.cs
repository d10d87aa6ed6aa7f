using Parley.Crypto.Curve25519;
using Parley.Protocol.Keys;
using Parley.Protocol.Wire;

namespace Parley.Protocol.Messages;

/// <summary>
/// A group message: <c>0x33 ‖ protobuf ‖ 64-byte XEdDSA signature</c> (PROTOCOL.md §8). Fields: 1 distribution
/// UUID, 2 chain id, 3 iteration, 4 ciphertext — all required. The sender's signing key signs everything before
/// the signature.
/// </summary>
public sealed class SenderKeyMessage : CiphertextMessage
{
    /// <summary>Size of the trailing signature.</summary>
    public const int SignatureSize = XEdDsa.SignatureSize;

    private readonly byte[] _serialized;
    private readonly byte[] _ciphertext;

    private SenderKeyMessage(byte[] serialized, int version, Guid distributionId, uint chainId, uint iteration, byte[] ciphertext)
    {
        _serialized = serialized;
        MessageVersion = version;
        DistributionId = distributionId;
        ChainId = chainId;
        Iteration = iteration;
        _ciphertext = ciphertext;
    }

    /// <inheritdoc />
    public override CiphertextMessageType Type => CiphertextMessageType.SenderKey;

    /// <inheritdoc />
    public override ReadOnlyMemory<byte> Serialized => _serialized;

    /// <summary>The message version (3).</summary>
    public int MessageVersion { get; }

    /// <summary>The group's distribution id.</summary>
    public Guid DistributionId { get; }

    /// <summary>The sender's chain id (selects the sender-key state).</summary>
    public uint ChainId { get; }

    /// <summary>The message's index in the sender chain.</summary>
    public uint Iteration { get; }

    /// <summary>The AES-256-CBC body.</summary>
    public ReadOnlyMemory<byte> Ciphertext => _ciphertext;

    /// <summary>Parses a serialized SenderKeyMessage (the signature is checked during decryption).</summary>
    /// <exception cref="UnsupportedMessageVersionException">Version other than 3.</exception>
    /// <exception cref="InvalidMessageException">Too short, malformed, or missing a required field.</exception>
    public static SenderKeyMessage Deserialize(ReadOnlySpan<byte> serialized)
    {
        if (!TryDecode(serialized, out var message, out var failure))
        {
            throw failure.ToException(CiphertextMessageType.SenderKey);
        }

        return message;
    }

    internal static bool TryDecode(ReadOnlySpan<byte> data, out SenderKeyMessage message, out DecodeFailure failure)
    {
        message = null!;
        if (data.Length < 1 + SignatureSize)
        {
            failure = new DecodeFailure("message too short.");
            return false;
        }

        if (!Messages.MessageVersion.TryCheck(data[0], Messages.MessageVersion.SenderKey, Messages.MessageVersion.SenderKey, out var version, out failure))
        {
            return false;
        }

        var reader = new ProtoReader(data[1..^SignatureSize]);
        ReadOnlySpan<byte> uuid = default, ciphertext = default;
        uint chainId = 0, iteration = 0;
        bool hasUuid = false, hasChainId = false, hasIteration = false, hasCiphertext = false;
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
                4 => hasCiphertext = reader.TryReadBytes(wireType, out ciphertext),
                _ => reader.TrySkip(wireType),
            };
            if (!ok)
            {
                failure = new DecodeFailure("malformed protobuf.");
                return false;
            }
        }

        if (!hasUuid || !hasChainId || !hasIteration || !hasCiphertext)
        {
            failure = new DecodeFailure("missing a required field.");
            return false;
        }

        if (!Uuids.TryRead(uuid, out var distributionId))
        {
            failure = new DecodeFailure("invalid distribution id.");
            return false;
        }

        message = new SenderKeyMessage(data.ToArray(), version, distributionId, chainId, iteration, ciphertext.ToArray());
        return true;
    }

    /// <summary>Builds and signs a message.</summary>
    internal static SenderKeyMessage Create(int version, Guid distributionId, uint chainId, uint iteration, byte[] ciphertext, EcPrivateKey signingKey)
    {
        var writer = new ProtoWriter(ciphertext.Length + 96);
        writer.WriteRawByte(Messages.MessageVersion.Encode(version, Messages.MessageVersion.SenderKey));
        writer.WriteBytesField(1, Uuids.ToBytes(distributionId));
        writer.WriteVarintField(2, chainId);
        writer.WriteVarintField(3, iteration);
        writer.WriteBytesField(4, ciphertext);
        var signature = signingKey.CalculateSignature(writer.WrittenSpan);
        writer.WriteRaw(signature);
        return new SenderKeyMessage(writer.ToArray(), version, distributionId, chainId, iteration, ciphertext);
    }

    /// <summary>Checks the trailing signature against the sender's signing key.</summary>
    internal bool VerifySignature(EcPublicKey signingKey) =>
        signingKey.VerifySignature(_serialized.AsSpan(0, _serialized.Length - SignatureSize), _serialized.AsSpan(_serialized.Length - SignatureSize));

    /// <summary>Ids and iteration only.</summary>
    public override string ToString() => $"SenderKeyMessage(chain {ChainId}, iteration {Iteration})";
}
