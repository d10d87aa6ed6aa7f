namespace Parley.Protocol.Messages;

/// <summary>UUIDs on the wire are 16 bytes in RFC 4122 (big-endian) order.</summary>
internal static class Uuids
{
    public static bool TryRead(ReadOnlySpan<byte> bytes, out Guid uuid)
    {
        uuid = default;
        if (bytes.Length != 16)
        {
            return false;
        }

        uuid = new Guid(bytes, bigEndian: true);
        return true;
    }

    public static byte[] ToBytes(Guid uuid)
    {
        var bytes = new byte[16];
        if (!uuid.TryWriteBytes(bytes, bigEndian: true, out _))
        {
            throw new InvalidOperationException("UUID did not fit in 16 bytes.");
        }

        return bytes;
    }
}
