using System.Buffers.Binary;
using System.Text;

namespace Parley.Client.Content;

/// <summary>A decoded message content: what the Signal plaintext of a Parley message carries.</summary>
internal sealed record MessageContent(Guid MessageId, long SentAtMs, string Text)
{
    /// <summary>Ids and time only.</summary>
    public override string ToString() => $"MessageContent {{ MessageId = {MessageId}, SentAtMs = {SentAtMs} }}";
}

/// <summary>
/// The Signal plaintext of a Parley message, version 1:
/// <c>version(1) ‖ kind(1) ‖ message id(16) ‖ sent-at ms (int64 BE) ‖ text length (uint32 BE) ‖ UTF-8 text ‖ zero padding</c>,
/// padded to a multiple of 160 bytes so ciphertext sizes reveal only a coarse length. Decoding treats the
/// bytes as hostile: every length is checked, the text must be valid UTF-8 within <see cref="MaxTextBytes"/>,
/// and the padding must be zeros.
/// </summary>
internal static class ContentCodec
{
    public const byte Version = 1;
    public const byte KindText = 1;

    /// <summary>Largest text, in UTF-8 bytes (64 KiB).</summary>
    public const int MaxTextBytes = 64 * 1024;

    public const int PaddingBlock = 160;
    private const int HeaderSize = 1 + 1 + 16 + 8 + 4;

    /// <summary>Largest encoded content: header, text, and less than one padding block.</summary>
    public const int MaxEncodedBytes = HeaderSize + MaxTextBytes + PaddingBlock;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] Encode(MessageContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var text = StrictUtf8.GetBytes(content.Text);
        if (text.Length > MaxTextBytes)
        {
            throw new ArgumentException($"The text is {text.Length} bytes; at most {MaxTextBytes} are allowed.", nameof(content));
        }

        var unpadded = HeaderSize + text.Length;
        var total = (unpadded + PaddingBlock - 1) / PaddingBlock * PaddingBlock;
        var bytes = new byte[total];
        bytes[0] = Version;
        bytes[1] = KindText;
        content.MessageId.TryWriteBytes(bytes.AsSpan(2, 16), bigEndian: true, out _);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(18, 8), content.SentAtMs);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(26, 4), (uint)text.Length);
        text.CopyTo(bytes.AsSpan(HeaderSize));
        return bytes;
    }

    /// <summary>Decodes hostile bytes; false with a one-line reason when they are not a valid version-1 text message.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out MessageContent? content, out string reason)
    {
        content = null;
        if (bytes.Length < HeaderSize || bytes.Length > MaxEncodedBytes)
        {
            reason = "content has an impossible size";
            return false;
        }

        if (bytes[0] != Version)
        {
            reason = $"content version {bytes[0]} is not supported";
            return false;
        }

        if (bytes[1] != KindText)
        {
            reason = $"content kind {bytes[1]} is not supported";
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(26, 4));
        if (length > MaxTextBytes || length > (uint)(bytes.Length - HeaderSize))
        {
            reason = "content text length is out of range";
            return false;
        }

        var padding = bytes[(HeaderSize + (int)length)..];
        if (padding.Length >= PaddingBlock || padding.ContainsAnyExcept((byte)0))
        {
            reason = "content padding is invalid";
            return false;
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(bytes.Slice(HeaderSize, (int)length));
        }
        catch (DecoderFallbackException)
        {
            reason = "content text is not valid UTF-8";
            return false;
        }

        content = new MessageContent(new Guid(bytes.Slice(2, 16), bigEndian: true), BinaryPrimitives.ReadInt64BigEndian(bytes.Slice(18, 8)), text);
        reason = "";
        return true;
    }
}
