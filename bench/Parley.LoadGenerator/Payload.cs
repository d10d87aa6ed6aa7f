using System.Buffers.Binary;
using System.Diagnostics;

namespace Parley.LoadGenerator;

/// <summary>
/// The first bytes of every envelope the generator sends: magic, the send time on this process's monotonic
/// clock (so the receiver measures send call to frame on the recipient's socket), and which send slot sent it
/// with its sequence number (so that slot can wait for its own message to arrive). Random bytes fill the rest.
/// </summary>
internal static class Payload
{
    /// <summary>Magic (4) + send timestamp (8) + slot (4) + sequence (4).</summary>
    public const int Bytes = 20;

    private const uint Magic = 0x4C4F_4144; // "LOAD"

    public static byte[] Create(int size, int slot, int sequence)
    {
        var content = new byte[size];
        Random.Shared.NextBytes(content.AsSpan(Bytes));
        BinaryPrimitives.WriteUInt32BigEndian(content, Magic);
        BinaryPrimitives.WriteInt64BigEndian(content.AsSpan(4), Stopwatch.GetTimestamp());
        BinaryPrimitives.WriteInt32BigEndian(content.AsSpan(12), slot);
        BinaryPrimitives.WriteInt32BigEndian(content.AsSpan(16), sequence);
        return content;
    }

    public static bool TryRead(ReadOnlySpan<byte> content, out long sentAt, out int slot, out int sequence)
    {
        if (content.Length < Bytes || BinaryPrimitives.ReadUInt32BigEndian(content) != Magic)
        {
            (sentAt, slot, sequence) = (0, 0, 0);
            return false;
        }

        sentAt = BinaryPrimitives.ReadInt64BigEndian(content[4..]);
        slot = BinaryPrimitives.ReadInt32BigEndian(content[12..]);
        sequence = BinaryPrimitives.ReadInt32BigEndian(content[16..]);
        return true;
    }
}
