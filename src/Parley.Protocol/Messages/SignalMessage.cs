using System.Security.Cryptography;
using Parley.Protocol.Keys;
using Parley.Protocol.Wire;

namespace Parley.Protocol.Messages;

/// <summary>
/// A Double Ratchet message: <c>version byte ‖ protobuf ‖ 8-byte MAC</c> (PROTOCOL.md §6.5). Fields:
/// 1 ratchet key, 2 counter, 3 previous counter, 4 ciphertext, 5 post-quantum ratchet (never sent by Parley,
/// ignored on receipt), 6 addresses.
/// </summary>
/// <remarks>
/// The MAC covers the bytes exactly as received — unknown fields and field 5 included — so the original bytes are
/// kept and never re-encoded.
/// </remarks>
public sealed class SignalMessage : CiphertextMessage
{
    /// <summary>Size of the truncated HMAC-SHA256 trailer.</summary>
    public const int MacSize = 8;

    private readonly byte[] _serialized;
    private readonly byte[] _ciphertext;
    private readonly byte[]? _addresses;

    private SignalMessage(byte[] serialized, int version, EcPublicKey ratchetKey, uint counter, uint previousCounter, byte[] ciphertext, bool hasPqRatchet, byte[]? addresses)
    {
        _serialized = serialized;
        MessageVersion = version;
        SenderRatchetKey = ratchetKey;
        Counter = counter;
        PreviousCounter = previousCounter;
        _ciphertext = ciphertext;
        HasPqRatchet = hasPqRatchet;
        _addresses = addresses;
    }

    /// <inheritdoc />
    public override CiphertextMessageType Type => CiphertextMessageType.Whisper;

    /// <inheritdoc />
    public override ReadOnlyMemory<byte> Serialized => _serialized;

    /// <summary>The message version (high nibble of the first byte): 3 or 4.</summary>
    public int MessageVersion { get; }

    /// <summary>The sender's current ratchet public key.</summary>
    public EcPublicKey SenderRatchetKey { get; }

    /// <summary>The message's index in the sender's chain.</summary>
    public uint Counter { get; }

    /// <summary>The length of the sender's previous chain (informational).</summary>
    public uint PreviousCounter { get; }

    /// <summary>The AES-256-CBC body.</summary>
    public ReadOnlyMemory<byte> Ciphertext => _ciphertext;

    /// <summary>True when the sender included a post-quantum ratchet message (field 5), which Parley ignores.</summary>
    public bool HasPqRatchet { get; }

    /// <summary>The 36-byte sender/recipient <c>addresses</c> field (6), or empty when absent.</summary>
    public ReadOnlyMemory<byte> Addresses => _addresses;

    /// <summary>True when field 6 was present.</summary>
    public bool HasAddresses => _addresses is not null;

    /// <summary>Parses a serialized SignalMessage (the MAC is checked later, during decryption).</summary>
    /// <exception cref="UnsupportedMessageVersionException">Version below 3 or above 4.</exception>
    /// <exception cref="InvalidMessageException">Too short, malformed, or missing a required field.</exception>
    public static SignalMessage Deserialize(ReadOnlySpan<byte> serialized)
    {
        if (!TryDecode(serialized, out var message, out var failure))
        {
            throw failure.ToException(CiphertextMessageType.Whisper);
        }

        return message;
    }

    internal static bool TryDecode(ReadOnlySpan<byte> data, out SignalMessage message, out DecodeFailure failure)
    {
        message = null!;
        if (data.Length < MacSize + 1)
        {
            failure = new DecodeFailure("message too short.");
            return false;
        }

        if (!Messages.MessageVersion.TryCheck(data[0], Messages.MessageVersion.PreKyber, Messages.MessageVersion.Current, out var version, out failure))
        {
            return false;
        }

        var reader = new ProtoReader(data[1..^MacSize]);
        ReadOnlySpan<byte> ratchetKey = default, ciphertext = default, addresses = default;
        uint counter = 0, previousCounter = 0;
        bool hasRatchetKey = false, hasCounter = false, hasCiphertext = false, hasPq = false, hasAddresses = false;
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                failure = new DecodeFailure("malformed protobuf.");
                return false;
            }

            bool ok;
            switch (field)
            {
                case 1:
                    ok = hasRatchetKey = reader.TryReadBytes(wireType, out ratchetKey);
                    break;
                case 2:
                    ok = hasCounter = reader.TryReadUInt32(wireType, out counter);
                    break;
                case 3:
                    ok = reader.TryReadUInt32(wireType, out previousCounter);
                    break;
                case 4:
                    ok = hasCiphertext = reader.TryReadBytes(wireType, out ciphertext);
                    break;
                case 5:
                    ok = reader.TryReadBytes(wireType, out var pq);
                    hasPq = ok && !pq.IsEmpty;
                    break;
                case 6:
                    ok = hasAddresses = reader.TryReadBytes(wireType, out addresses);
                    break;
                default:
                    ok = reader.TrySkip(wireType);
                    break;
            }

            if (!ok)
            {
                failure = new DecodeFailure("malformed protobuf.");
                return false;
            }
        }

        if (!hasRatchetKey || !hasCounter || !hasCiphertext)
        {
            failure = new DecodeFailure("missing a required field.");
            return false;
        }

        if (!EcPublicKey.TryDeserialize(ratchetKey, out var key))
        {
            failure = new DecodeFailure("invalid ratchet key.");
            return false;
        }

        message = new SignalMessage(
            data.ToArray(), version, key, counter, previousCounter, ciphertext.ToArray(), hasPq, hasAddresses ? addresses.ToArray() : null);
        failure = default;
        return true;
    }

    /// <summary>Builds and MACs a message.</summary>
    internal static SignalMessage Create(
        int version,
        ReadOnlySpan<byte> macKey,
        EcPublicKey ratchetKey,
        uint counter,
        uint previousCounter,
        byte[] ciphertext,
        IdentityKey sender,
        IdentityKey receiver,
        byte[]? addresses)
    {
        var writer = new ProtoWriter(ciphertext.Length + 96);
        writer.WriteRawByte(Messages.MessageVersion.Encode(version, Messages.MessageVersion.Current));
        writer.WriteBytesField(1, ratchetKey.Serialize());
        writer.WriteVarintField(2, counter);
        writer.WriteVarintField(3, previousCounter);
        writer.WriteBytesField(4, ciphertext);
        if (addresses is not null)
        {
            writer.WriteBytesField(6, addresses);
        }

        Span<byte> mac = stackalloc byte[MacSize];
        ComputeMac(sender, receiver, macKey, writer.WrittenSpan, mac);
        writer.WriteRaw(mac);
        return new SignalMessage(writer.ToArray(), version, ratchetKey, counter, previousCounter, ciphertext, false, addresses);
    }

    /// <summary>Checks the MAC in constant time over the bytes as received.</summary>
    internal bool VerifyMac(IdentityKey sender, IdentityKey receiver, ReadOnlySpan<byte> macKey)
    {
        Span<byte> expected = stackalloc byte[MacSize];
        ComputeMac(sender, receiver, macKey, _serialized.AsSpan(0, _serialized.Length - MacSize), expected);
        return CryptographicOperations.FixedTimeEquals(expected, _serialized.AsSpan(_serialized.Length - MacSize));
    }

    private static void ComputeMac(IdentityKey sender, IdentityKey receiver, ReadOnlySpan<byte> macKey, ReadOnlySpan<byte> content, Span<byte> mac)
    {
        Span<byte> identity = stackalloc byte[EcPublicKey.SerializedSize];
        Span<byte> full = stackalloc byte[32];
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, macKey);
        sender.PublicKey.WriteSerialized(identity);
        hmac.AppendData(identity);
        receiver.PublicKey.WriteSerialized(identity);
        hmac.AppendData(identity);
        hmac.AppendData(content);
        hmac.GetHashAndReset(full);
        full[..MacSize].CopyTo(mac);
    }

    /// <summary>Version and counters only.</summary>
    public override string ToString() => $"SignalMessage(v{MessageVersion}, counter {Counter})";
}
