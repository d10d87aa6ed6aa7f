using System.Buffers.Binary;
using System.Text;

namespace Parley.Client.Content;

/// <summary>What a content carries.</summary>
internal enum ContentKind : byte
{
    /// <summary>A text message.</summary>
    Text = 1,

    /// <summary>
    /// "I could not decrypt your message sent at <see cref="MessageContent.FailedTimestampMs"/>; here is a fresh
    /// session": sent automatically to a sender whose session we do not have (for example after we re-registered).
    /// </summary>
    SessionReset = 2,
}

/// <summary>A decoded message content: what the Signal plaintext of a Parley message carries.</summary>
internal sealed record MessageContent(Guid MessageId, long SentAtMs, string Text, ContentKind Kind = ContentKind.Text, long FailedTimestampMs = 0)
{
    /// <summary>Ids and time only.</summary>
    public override string ToString() => $"MessageContent {{ MessageId = {MessageId}, SentAtMs = {SentAtMs} }}";
}

/// <summary>
/// The Signal plaintext of a Parley message, version 1:
/// <c>version(1) ‖ kind(1) ‖ message id(16) ‖ sent-at ms (int64 BE) ‖ body ‖ zero padding</c>, where the body of
/// a text (kind 1) is <c>text length (uint32 BE) ‖ UTF-8 text</c> and of a session reset (kind 2) the failed
/// message's timestamp (int64 BE); the whole is
/// padded to a multiple of 160 bytes so ciphertext sizes reveal only a coarse length. Decoding treats the
/// bytes as hostile: every length is checked, the text must be valid UTF-8 within <see cref="MaxTextBytes"/>,
/// and the padding must be zeros.
/// </summary>
internal static class ContentCodec
{
    public const byte Version = 1;

    /// <summary>Largest text, in UTF-8 bytes (64 KiB).</summary>
    public const int MaxTextBytes = 64 * 1024;

    public const int PaddingBlock = 160;
    private const int HeaderSize = 1 + 1 + 16 + 8 + 4;
    private const int ResetSize = 1 + 1 + 16 + 8 + 8;

    /// <summary>Largest encoded content: header, text, and less than one padding block.</summary>
    public const int MaxEncodedBytes = HeaderSize + MaxTextBytes + PaddingBlock;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] Encode(MessageContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Kind == ContentKind.SessionReset)
        {
            var reset = new byte[PaddingBlock];
            reset[0] = Version;
            reset[1] = (byte)ContentKind.SessionReset;
            content.MessageId.TryWriteBytes(reset.AsSpan(2, 16), bigEndian: true, out _);
            BinaryPrimitives.WriteInt64BigEndian(reset.AsSpan(18, 8), content.SentAtMs);
            BinaryPrimitives.WriteInt64BigEndian(reset.AsSpan(26, 8), content.FailedTimestampMs);
            return reset;
        }

        var text = StrictUtf8.GetBytes(content.Text);
        if (text.Length > MaxTextBytes)
        {
            throw new ArgumentException($"The text is {text.Length} bytes; at most {MaxTextBytes} are allowed.", nameof(content));
        }

        var unpadded = HeaderSize + text.Length;
        var total = (unpadded + PaddingBlock - 1) / PaddingBlock * PaddingBlock;
        var bytes = new byte[total];
        bytes[0] = Version;
        bytes[1] = (byte)ContentKind.Text;
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

        if (bytes[1] == (byte)ContentKind.SessionReset)
        {
            if (bytes.Length < ResetSize || bytes.Length - ResetSize >= PaddingBlock || bytes[ResetSize..].ContainsAnyExcept((byte)0))
            {
                reason = "session reset has an invalid size or padding";
                return false;
            }

            content = new MessageContent(
                new Guid(bytes.Slice(2, 16), bigEndian: true), BinaryPrimitives.ReadInt64BigEndian(bytes.Slice(18, 8)), "",
                ContentKind.SessionReset, BinaryPrimitives.ReadInt64BigEndian(bytes.Slice(26, 8)));
            reason = "";
            return true;
        }

        if (bytes[1] != (byte)ContentKind.Text)
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
