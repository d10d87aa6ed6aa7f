using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Parley.Server.Postgres.Tests.Cluster;

/// <summary>
/// The opaque content a simulated client sends: magic, sender, recipient, sequence number, random padding.
/// To the relay it is ciphertext-shaped bytes like any other; only the clients read it back.
/// </summary>
internal static class MessageContent
{
    public const int Size = 96;
    private const uint Magic = 0x504C_5859; // "PLXY"

    public static byte[] Encode(int sender, int recipient, long seq)
    {
        var content = RandomNumberGenerator.GetBytes(Size);
        BinaryPrimitives.WriteUInt32BigEndian(content, Magic);
        BinaryPrimitives.WriteInt32BigEndian(content.AsSpan(4), sender);
        BinaryPrimitives.WriteInt32BigEndian(content.AsSpan(8), recipient);
        BinaryPrimitives.WriteInt64BigEndian(content.AsSpan(12), seq);
        return content;
    }

    public static bool TryDecode(byte[] content, out int sender, out int recipient, out long seq)
    {
        sender = recipient = 0;
        seq = 0;
        if (content.Length != Size || BinaryPrimitives.ReadUInt32BigEndian(content) != Magic)
        {
            return false;
        }

        sender = BinaryPrimitives.ReadInt32BigEndian(content.AsSpan(4));
        recipient = BinaryPrimitives.ReadInt32BigEndian(content.AsSpan(8));
        seq = BinaryPrimitives.ReadInt64BigEndian(content.AsSpan(12));
        return true;
    }
}
