using Parley.Protocol.Keys;
using Parley.Protocol.Wire;

namespace Parley.Protocol.Messages;

/// <summary>
/// A message that can start a session: <c>version byte ‖ protobuf</c> wrapping a complete
/// <see cref="SignalMessage"/> (PROTOCOL.md §6.5). Fields: 1 one-time pre-key id, 2 base key, 3 identity key,
/// 4 message, 5 registration id, 6 signed pre-key id, 7 Kyber pre-key id, 8 Kyber ciphertext.
/// </summary>
public sealed class PreKeySignalMessage : CiphertextMessage
{
    private readonly byte[] _serialized;
    private readonly byte[]? _kyberCiphertext;

    private PreKeySignalMessage(
        byte[] serialized,
        int version,
        uint registrationId,
        uint? preKeyId,
        uint signedPreKeyId,
        uint? kyberPreKeyId,
        byte[]? kyberCiphertext,
        EcPublicKey baseKey,
        IdentityKey identityKey,
        SignalMessage message)
    {
        _serialized = serialized;
        MessageVersion = version;
        RegistrationId = registrationId;
        PreKeyId = preKeyId;
        SignedPreKeyId = signedPreKeyId;
        KyberPreKeyId = kyberPreKeyId;
        _kyberCiphertext = kyberCiphertext;
        BaseKey = baseKey;
        IdentityKey = identityKey;
        Message = message;
    }

    /// <inheritdoc />
    public override CiphertextMessageType Type => CiphertextMessageType.PreKey;

    /// <inheritdoc />
    public override ReadOnlyMemory<byte> Serialized => _serialized;

    /// <summary>The message version: 3 (refused when processed) or 4.</summary>
    public int MessageVersion { get; }

    /// <summary>The sender's registration id (0 when absent).</summary>
    public uint RegistrationId { get; }

    /// <summary>The recipient's one-time pre-key id, when one was used.</summary>
    public uint? PreKeyId { get; }

    /// <summary>The recipient's signed pre-key id.</summary>
    public uint SignedPreKeyId { get; }

    /// <summary>The recipient's Kyber pre-key id (required for version 4).</summary>
    public uint? KyberPreKeyId { get; }

    /// <summary>The serialized Kyber ciphertext (<c>0x08</c> ‖ 1568 bytes), or empty when absent.</summary>
    public ReadOnlyMemory<byte> KyberCiphertext => _kyberCiphertext;

    /// <summary>The initiator's base key.</summary>
    public EcPublicKey BaseKey { get; }

    /// <summary>The initiator's identity key.</summary>
    public IdentityKey IdentityKey { get; }

    /// <summary>The wrapped SignalMessage.</summary>
    public SignalMessage Message { get; }

    /// <summary>Parses a serialized PreKeySignalMessage.</summary>
    /// <exception cref="UnsupportedMessageVersionException">Version below 3 or above 4.</exception>
    /// <exception cref="InvalidMessageException">Malformed, a required field missing, or an invalid inner message.</exception>
    public static PreKeySignalMessage Deserialize(ReadOnlySpan<byte> serialized)
    {
        if (!TryDecode(serialized, out var message, out var failure))
        {
            throw failure.ToException(CiphertextMessageType.PreKey);
        }

        return message;
    }

    internal static bool TryDecode(ReadOnlySpan<byte> data, out PreKeySignalMessage message, out DecodeFailure failure)
    {
        message = null!;
        if (data.IsEmpty)
        {
            failure = new DecodeFailure("message too short.");
            return false;
        }

        if (!Messages.MessageVersion.TryCheck(data[0], Messages.MessageVersion.PreKyber, Messages.MessageVersion.Current, out var version, out failure))
        {
            return false;
        }

        var reader = new ProtoReader(data[1..]);
        ReadOnlySpan<byte> baseKey = default, identityKey = default, inner = default, kyberCiphertext = default;
        uint registrationId = 0, preKeyId = 0, signedPreKeyId = 0, kyberPreKeyId = 0;
        bool hasPreKeyId = false, hasSignedPreKeyId = false, hasKyberId = false, hasKyberCiphertext = false;
        bool hasBaseKey = false, hasIdentityKey = false, hasMessage = false;
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                failure = new DecodeFailure("malformed protobuf.");
                return false;
            }

            var ok = field switch
            {
                1 => hasPreKeyId = reader.TryReadUInt32(wireType, out preKeyId),
                2 => hasBaseKey = reader.TryReadBytes(wireType, out baseKey),
                3 => hasIdentityKey = reader.TryReadBytes(wireType, out identityKey),
                4 => hasMessage = reader.TryReadBytes(wireType, out inner),
                5 => reader.TryReadUInt32(wireType, out registrationId),
                6 => hasSignedPreKeyId = reader.TryReadUInt32(wireType, out signedPreKeyId),
                7 => hasKyberId = reader.TryReadUInt32(wireType, out kyberPreKeyId),
                8 => hasKyberCiphertext = reader.TryReadBytes(wireType, out kyberCiphertext),
                _ => reader.TrySkip(wireType),
            };
            if (!ok)
            {
                failure = new DecodeFailure("malformed protobuf.");
                return false;
            }
        }

        if (!hasBaseKey || !hasIdentityKey || !hasMessage || !hasSignedPreKeyId)
        {
            failure = new DecodeFailure("missing a required field.");
            return false;
        }

        if (hasKyberId != hasKyberCiphertext)
        {
            failure = new DecodeFailure("Kyber pre-key id and ciphertext must be present together.");
            return false;
        }

        if (!hasKyberId && version > Messages.MessageVersion.PreKyber)
        {
            failure = new DecodeFailure("Kyber pre-key must be present for this session version.");
            return false;
        }

        if (!EcPublicKey.TryDeserialize(baseKey, out var parsedBaseKey))
        {
            failure = new DecodeFailure("invalid base key.");
            return false;
        }

        if (!EcPublicKey.TryDeserialize(identityKey, out var parsedIdentity))
        {
            failure = new DecodeFailure("invalid identity key.");
            return false;
        }

        if (!SignalMessage.TryDecode(inner, out var signalMessage, out var innerFailure))
        {
            failure = innerFailure.IsVersionError ? innerFailure : new DecodeFailure("invalid inner message: " + innerFailure.Reason);
            return false;
        }

        message = new PreKeySignalMessage(
            data.ToArray(),
            version,
            registrationId,
            hasPreKeyId ? preKeyId : null,
            signedPreKeyId,
            hasKyberId ? kyberPreKeyId : null,
            hasKyberCiphertext ? kyberCiphertext.ToArray() : null,
            parsedBaseKey,
            new IdentityKey(parsedIdentity),
            signalMessage);
        return true;
    }

    /// <summary>Wraps a SignalMessage with the pending pre-key data of an unacknowledged session.</summary>
    internal static PreKeySignalMessage Create(
        int version,
        uint registrationId,
        uint? preKeyId,
        uint signedPreKeyId,
        uint? kyberPreKeyId,
        byte[]? kyberCiphertext,
        EcPublicKey baseKey,
        IdentityKey identityKey,
        SignalMessage message)
    {
        var inner = message.Serialized.Span;
        var writer = new ProtoWriter(inner.Length + (kyberCiphertext?.Length ?? 0) + 96);
        writer.WriteRawByte(Messages.MessageVersion.Encode(version, Messages.MessageVersion.Current));
        if (preKeyId is { } id)
        {
            writer.WriteVarintField(1, id);
        }

        writer.WriteBytesField(2, baseKey.Serialize());
        writer.WriteBytesField(3, identityKey.Serialize());
        writer.WriteBytesField(4, inner);
        writer.WriteVarintField(5, registrationId);
        writer.WriteVarintField(6, signedPreKeyId);
        if (kyberPreKeyId is { } kyberId && kyberCiphertext is not null)
        {
            writer.WriteVarintField(7, kyberId);
            writer.WriteBytesField(8, kyberCiphertext);
        }

        return new PreKeySignalMessage(
            writer.ToArray(), version, registrationId, preKeyId, signedPreKeyId, kyberPreKeyId, kyberCiphertext, baseKey, identityKey, message);
    }

    /// <summary>Version and ids only.</summary>
    public override string ToString() => $"PreKeySignalMessage(v{MessageVersion}, signed pre-key {SignedPreKeyId})";
}
