namespace Parley.Client.Tests.Support;

/// <summary>
/// Collects every 32-byte length-delimited field of a protobuf message, recursively. In a serialized session
/// record those are the root key, chain keys, message keys and ratchet private keys (public keys are 33 bytes).
/// </summary>
internal static class ProtoScan
{
    public static List<byte[]> Fields32(ReadOnlySpan<byte> message)
    {
        var found = new List<byte[]>();
        Walk(message, found, 0);
        return found;
    }

    private static bool Walk(ReadOnlySpan<byte> data, List<byte[]> found, int depth)
    {
        if (depth > 10)
        {
            return false;
        }

        var position = 0;
        var collected = new List<byte[]>();
        while (position < data.Length)
        {
            if (!TryVarint(data, ref position, out var tag))
            {
                return false;
            }

            switch (tag & 7)
            {
                case 0:
                    if (!TryVarint(data, ref position, out _))
                    {
                        return false;
                    }

                    break;
                case 1:
                    position += 8;
                    break;
                case 5:
                    position += 4;
                    break;
                case 2:
                    if (!TryVarint(data, ref position, out var length) || length > (ulong)(data.Length - position))
                    {
                        return false;
                    }

                    var field = data.Slice(position, (int)length);
                    position += (int)length;
                    if (field.Length == 32)
                    {
                        collected.Add(field.ToArray());
                    }
                    else
                    {
                        Walk(field, collected, depth + 1);
                    }

                    break;
                default:
                    return false;
            }

            if (position > data.Length)
            {
                return false;
            }
        }

        found.AddRange(collected);
        return true;
    }

    private static bool TryVarint(ReadOnlySpan<byte> data, ref int position, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && position < data.Length; shift += 7)
        {
            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }
}
