namespace Parley.Protocol.Wire;

/// <summary>
/// A forward-only protobuf (proto2/proto3 wire format) reader over untrusted bytes.
/// </summary>
/// <remarks>
/// Every read is bounds-checked and reports failure by returning <c>false</c> instead of throwing, so a decoder
/// can reject hostile input cheaply and raise one typed error at its public boundary. Nothing here allocates:
/// length-delimited fields come back as slices of the input.
/// Rejected: varints longer than 10 bytes or overflowing 64 bits, lengths past the end of the input,
/// field number 0, field numbers above 2^29 − 1, and the deprecated group wire types.
/// </remarks>
internal ref struct ProtoReader
{
    private const int MaxFieldNumber = (1 << 29) - 1;
    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public ProtoReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    /// <summary>True when every byte has been consumed.</summary>
    public readonly bool IsAtEnd => _position >= _buffer.Length;

    /// <summary>Reads the next field key.</summary>
    public bool TryReadTag(out int fieldNumber, out WireType wireType)
    {
        fieldNumber = 0;
        wireType = default;
        if (!TryReadVarint(out var key))
        {
            return false;
        }

        var number = key >> 3;
        var type = (int)(key & 7);
        if (number == 0 || number > MaxFieldNumber)
        {
            return false;
        }

        if (type is not (0 or 1 or 2 or 5))
        {
            return false;
        }

        fieldNumber = (int)number;
        wireType = (WireType)type;
        return true;
    }

    /// <summary>Reads a base-128 varint of at most 10 bytes that fits in 64 bits.</summary>
    public bool TryReadVarint(out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _buffer.Length)
            {
                return false;
            }

            var b = _buffer[_position++];
            if (shift == 63 && b > 1)
            {
                // The tenth byte may only carry the top bit of a 64-bit value.
                return false;
            }

            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads a varint that must fit in 32 bits (uint32 fields); larger values are refused.</summary>
    public bool TryReadUInt32(WireType wireType, out uint value)
    {
        value = 0;
        if (wireType != WireType.Varint || !TryReadVarint(out var raw) || raw > uint.MaxValue)
        {
            return false;
        }

        value = (uint)raw;
        return true;
    }

    /// <summary>Reads a uint64 varint field.</summary>
    public bool TryReadUInt64(WireType wireType, out ulong value)
    {
        value = 0;
        return wireType == WireType.Varint && TryReadVarint(out value);
    }

    /// <summary>
    /// Reads an int32 varint field and returns its low 32 bits as unsigned (negative int32 values are written
    /// sign-extended to 10 bytes).
    /// </summary>
    public bool TryReadInt32AsUInt32(WireType wireType, out uint value)
    {
        value = 0;
        if (wireType != WireType.Varint || !TryReadVarint(out var raw))
        {
            return false;
        }

        var high = raw >> 32;
        if (high != 0 && (high != 0xFFFF_FFFF || (raw & 0x8000_0000) == 0))
        {
            // Neither a non-negative 32-bit value nor a sign-extended negative one.
            return false;
        }

        value = (uint)(raw & 0xFFFF_FFFF);
        return true;
    }

    /// <summary>Reads a bool varint field (0 or 1).</summary>
    public bool TryReadBool(WireType wireType, out bool value)
    {
        value = false;
        if (wireType != WireType.Varint || !TryReadVarint(out var raw) || raw > 1)
        {
            return false;
        }

        value = raw == 1;
        return true;
    }

    /// <summary>Reads a fixed64 (little-endian) field.</summary>
    public bool TryReadFixed64(WireType wireType, out ulong value)
    {
        value = 0;
        if (wireType != WireType.Fixed64 || _buffer.Length - _position < 8)
        {
            return false;
        }

        value = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(_buffer.Slice(_position, 8));
        _position += 8;
        return true;
    }

    /// <summary>Reads a length-delimited field as a slice of the input.</summary>
    public bool TryReadBytes(WireType wireType, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (wireType != WireType.LengthDelimited || !TryReadVarint(out var length))
        {
            return false;
        }

        if (length > (ulong)(_buffer.Length - _position))
        {
            return false;
        }

        value = _buffer.Slice(_position, (int)length);
        _position += (int)length;
        return true;
    }

    /// <summary>Skips a field the decoder does not know (proto unknown-field rule).</summary>
    public bool TrySkip(WireType wireType)
    {
        switch (wireType)
        {
            case WireType.Varint:
                return TryReadVarint(out _);
            case WireType.Fixed64:
                return Advance(8);
            case WireType.Fixed32:
                return Advance(4);
            case WireType.LengthDelimited:
                return TryReadBytes(wireType, out _);
            default:
                return false;
        }
    }

    private bool Advance(int count)
    {
        if (_buffer.Length - _position < count)
        {
            return false;
        }

        _position += count;
        return true;
    }
}
