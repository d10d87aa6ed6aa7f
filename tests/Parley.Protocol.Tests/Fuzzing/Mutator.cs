namespace Parley.Protocol.Tests.Fuzzing;

/// <summary>
/// Structure-aware mutations of protobuf-framed messages: bit flips, byte stores, truncation, insertion, deletion,
/// varint and length inflation, field duplication, removal and reordering, and splicing from other seeds. The frame
/// (version byte, MAC or signature trailer) is known per decoder so the body's fields can be found.
/// </summary>
internal sealed class Mutator(int seed, int prefixLength, int suffixLength)
{
    private static readonly byte[] Interesting = [0x00, 0x01, 0x05, 0x08, 0x0A, 0x33, 0x34, 0x44, 0x7F, 0x80, 0xFF];
    private readonly Random _random = new(seed);

    public byte[] Mutate(byte[] input, IReadOnlyList<byte[]> seeds)
    {
        var data = input;
        var rounds = _random.Next(1, 4);
        for (var i = 0; i < rounds; i++)
        {
            data = MutateOnce(data, seeds);
        }

        return data;
    }

    private byte[] MutateOnce(byte[] data, IReadOnlyList<byte[]> seeds)
    {
        switch (_random.Next(14))
        {
            case 0:
            case 1:
                return FlipBits(data);
            case 2:
                return StoreByte(data);
            case 3:
                return data.Length == 0 ? data : data[.._random.Next(data.Length)];
            case 4:
                return Insert(data, RandomBytes(_random.Next(1, 48)));
            case 5:
                return Delete(data);
            case 6:
                return InflateVarint(data);
            case 7:
                return RewriteLength(data);
            case 8:
                return EditFields(data, FieldEdit.Duplicate);
            case 9:
                return EditFields(data, FieldEdit.Remove);
            case 10:
                return EditFields(data, FieldEdit.Swap);
            case 11:
                return Splice(data, seeds[_random.Next(seeds.Count)]);
            case 12:
                return EditFields(data, FieldEdit.MutateNested);
            default:
                return Insert(data, [(byte)((_random.Next(1, 16) << 3) | _random.Next(0, 6)), .. RandomBytes(_random.Next(0, 12))]);
        }
    }

    private enum FieldEdit
    {
        Duplicate,
        Remove,
        Swap,
        MutateNested,
    }

    private byte[] FlipBits(byte[] data)
    {
        if (data.Length == 0)
        {
            return data;
        }

        var copy = (byte[])data.Clone();
        var flips = _random.Next(1, 5);
        for (var i = 0; i < flips; i++)
        {
            var bit = _random.Next(copy.Length * 8);
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
        }

        return copy;
    }

    private byte[] StoreByte(byte[] data)
    {
        if (data.Length == 0)
        {
            return data;
        }

        var copy = (byte[])data.Clone();
        copy[_random.Next(copy.Length)] = _random.Next(2) == 0 ? Interesting[_random.Next(Interesting.Length)] : (byte)_random.Next(256);
        return copy;
    }

    private byte[] Insert(byte[] data, byte[] bytes)
    {
        var at = _random.Next(data.Length + 1);
        return [.. data[..at], .. bytes, .. data[at..]];
    }

    private byte[] Delete(byte[] data)
    {
        if (data.Length == 0)
        {
            return data;
        }

        var at = _random.Next(data.Length);
        var count = Math.Min(data.Length - at, _random.Next(1, 64));
        return [.. data[..at], .. data[(at + count)..]];
    }

    /// <summary>Makes a varint longer: continuation bytes (0x80/0xFF) before a byte, or an overlong encoding.</summary>
    private byte[] InflateVarint(byte[] data)
    {
        var count = _random.Next(1, 11);
        var filler = _random.Next(2) == 0 ? (byte)0x80 : (byte)0xFF;
        return Insert(data, Enumerable.Repeat(filler, count).ToArray());
    }

    /// <summary>Finds a length-delimited field and gives it a wrong or huge length.</summary>
    private byte[] RewriteLength(byte[] data)
    {
        var fields = BodyFields(data);
        var candidates = fields.Where(f => f.WireType == 2).ToList();
        if (candidates.Count == 0)
        {
            return FlipBits(data);
        }

        var field = candidates[_random.Next(candidates.Count)];
        var length = field.Length;
        ulong newLength = _random.Next(6) switch
        {
            0 => (ulong)length + 1,
            1 => (ulong)Math.Max(0, length - 1),
            2 => 0,
            3 => int.MaxValue,
            4 => ulong.MaxValue >> 1,
            _ => (ulong)_random.Next(0, 4096),
        };
        var header = EncodeVarint(newLength);
        return [.. data[..field.LengthOffset], .. header, .. data[field.PayloadOffset..]];
    }

    private byte[] EditFields(byte[] data, FieldEdit edit)
    {
        var fields = BodyFields(data);
        if (fields.Count == 0)
        {
            return FlipBits(data);
        }

        var body = data[..BodyStart(data)].ToList();
        var bodyEnd = data.Length - Math.Min(suffixLength, data.Length - BodyStart(data));
        var raws = fields.Select(f => data[f.Start..f.End]).ToList();
        var pick = _random.Next(raws.Count);
        switch (edit)
        {
            case FieldEdit.Duplicate:
                raws.Insert(_random.Next(raws.Count + 1), raws[pick]);
                break;
            case FieldEdit.Remove:
                raws.RemoveAt(pick);
                break;
            case FieldEdit.Swap:
                var other = _random.Next(raws.Count);
                (raws[pick], raws[other]) = (raws[other], raws[pick]);
                break;
            case FieldEdit.MutateNested:
                var field = fields[pick];
                if (field.WireType != 2)
                {
                    return FlipBits(data);
                }

                // Mutate the embedded bytes, then re-frame with a correct length (reaches nested decoders).
                var payload = data[field.PayloadOffset..field.End];
                var inner = new Mutator(_random.Next(), 0, 0).MutateOnce(payload, [payload]);
                raws[pick] = [.. data[field.Start..field.LengthOffset], .. EncodeVarint((ulong)inner.Length), .. inner];
                break;
        }

        foreach (var raw in raws)
        {
            body.AddRange(raw);
        }

        body.AddRange(data[Math.Max(bodyEnd, fields[^1].End)..]);
        return [.. body];
    }

    private byte[] Splice(byte[] data, byte[] other)
    {
        if (data.Length == 0 || other.Length == 0)
        {
            return other;
        }

        var at = _random.Next(data.Length);
        var from = _random.Next(other.Length);
        var count = Math.Min(other.Length - from, _random.Next(1, 128));
        return [.. data[..at], .. other.AsSpan(from, count), .. data[Math.Min(data.Length, at + count)..]];
    }

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    private int BodyStart(byte[] data) => Math.Min(prefixLength, data.Length);

    private sealed record Field(int Start, int End, int WireType, int LengthOffset, int PayloadOffset, int Length);

    /// <summary>Top-level fields of the body, leniently: stops at the first thing that does not parse.</summary>
    private List<Field> BodyFields(byte[] data)
    {
        var fields = new List<Field>();
        var position = BodyStart(data);
        var end = Math.Max(position, data.Length - suffixLength);
        while (position < end)
        {
            var start = position;
            if (!TryVarint(data, ref position, end, out var key))
            {
                break;
            }

            var wireType = (int)(key & 7);
            int lengthOffset = position, payloadOffset = position, length = 0;
            switch (wireType)
            {
                case 0:
                    if (!TryVarint(data, ref position, end, out _))
                    {
                        return fields;
                    }

                    break;
                case 1:
                    position += 8;
                    break;
                case 5:
                    position += 4;
                    break;
                case 2:
                    if (!TryVarint(data, ref position, end, out var raw) || raw > (ulong)(end - position))
                    {
                        return fields;
                    }

                    payloadOffset = position;
                    length = (int)raw;
                    position += length;
                    break;
                default:
                    return fields;
            }

            if (position > end)
            {
                break;
            }

            fields.Add(new Field(start, position, wireType, lengthOffset, payloadOffset, length));
        }

        return fields;
    }

    private static bool TryVarint(byte[] data, ref int position, int end, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && position < end; shift += 7)
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

    private static byte[] EncodeVarint(ulong value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add(unchecked((byte)(value | 0x80)));
            value >>= 7;
        }

        bytes.Add((byte)value);
        return [.. bytes];
    }
}
