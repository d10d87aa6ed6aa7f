namespace Parley.Protocol.Tests.Support;

/// <summary>Minimal protobuf surgery on serialized messages, for building hostile variants in tests.</summary>
internal static class ProtoEdit
{
    /// <summary>Top-level fields of a protobuf body: (field number, raw bytes of the whole field).</summary>
    public static List<(int Field, byte[] Raw)> Fields(ReadOnlySpan<byte> body)
    {
        var fields = new List<(int, byte[])>();
        var position = 0;
        while (position < body.Length)
        {
            var start = position;
            var key = ReadVarint(body, ref position);
            var wireType = (int)(key & 7);
            switch (wireType)
            {
                case 0: ReadVarint(body, ref position); break;
                case 1: position += 8; break;
                case 2:
                    var length = (int)ReadVarint(body, ref position);
                    position += length;
                    break;
                case 5: position += 4; break;
                default: throw new InvalidOperationException("unsupported wire type");
            }

            fields.Add(((int)(key >> 3), body[start..position].ToArray()));
        }

        return fields;
    }

    /// <summary>Removes every occurrence of a field from the body after <paramref name="prefix"/> bytes.</summary>
    public static byte[] RemoveField(byte[] message, int prefix, int field, int suffix = 0)
    {
        var body = Fields(message.AsSpan(prefix, message.Length - prefix - suffix)).Where(f => f.Field != field).SelectMany(f => f.Raw);
        return [.. message[..prefix], .. body, .. message[(message.Length - suffix)..]];
    }

    /// <summary>Reverses the order of the top-level fields.</summary>
    public static byte[] ReverseFields(byte[] message, int prefix, int suffix = 0)
    {
        var fields = Fields(message.AsSpan(prefix, message.Length - prefix - suffix));
        fields.Reverse();
        return [.. message[..prefix], .. fields.SelectMany(f => f.Raw), .. message[(message.Length - suffix)..]];
    }

    /// <summary>Inserts raw bytes just before a SignalMessage's 8-byte MAC.</summary>
    public static byte[] InsertBeforeMac(byte[] message, byte[] raw) => [.. message[..^8], .. raw, .. message[^8..]];

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }
}
