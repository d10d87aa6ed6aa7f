namespace Parley.Protocol.Wire;

/// <summary>
/// A small protobuf writer. Fields are written in the order the caller emits them; Parley's encoders emit
/// ascending field numbers, as libsignal does, so encodings are canonical and stable.
/// </summary>
internal sealed class ProtoWriter
{
    private byte[] _buffer;
    private int _length;

    public ProtoWriter(int initialCapacity = 64)
    {
        _buffer = new byte[Math.Max(16, initialCapacity)];
    }

    /// <summary>Number of bytes written.</summary>
    public int Length => _length;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>A copy of the bytes written.</summary>
    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Wipes the internal buffer (call after copying out an encoding that holds secrets).</summary>
    public void Clear()
    {
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(_buffer);
        _length = 0;
    }

    /// <summary>Appends raw bytes (used for version prefixes and trailers).</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Appends one raw byte.</summary>
    public void WriteRawByte(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    /// <summary>Writes a varint field (uint32, uint64, bool).</summary>
    public void WriteVarintField(int fieldNumber, ulong value)
    {
        WriteTag(fieldNumber, WireType.Varint);
        WriteVarint(value);
    }

    /// <summary>Writes an int32 field holding an unsigned id (values at or above 2^31 are sign-extended, as proto int32 requires).</summary>
    public void WriteInt32Field(int fieldNumber, uint value)
    {
        WriteTag(fieldNumber, WireType.Varint);
        WriteVarint(unchecked((ulong)(long)(int)value));
    }

    /// <summary>Writes a fixed64 field.</summary>
    public void WriteFixed64Field(int fieldNumber, ulong value)
    {
        WriteTag(fieldNumber, WireType.Fixed64);
        Ensure(8);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_length, 8), value);
        _length += 8;
    }

    /// <summary>Writes a length-delimited field.</summary>
    public void WriteBytesField(int fieldNumber, ReadOnlySpan<byte> value)
    {
        WriteTag(fieldNumber, WireType.LengthDelimited);
        WriteVarint((ulong)value.Length);
        WriteRaw(value);
    }

    /// <summary>Writes an embedded message field from another writer's output.</summary>
    public void WriteMessageField(int fieldNumber, ProtoWriter message) => WriteBytesField(fieldNumber, message.WrittenSpan);

    private void WriteTag(int fieldNumber, WireType wireType) => WriteVarint(((ulong)(uint)fieldNumber << 3) | (uint)wireType);

    private void WriteVarint(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[_length++] = unchecked((byte)(value | 0x80));
            value >>= 7;
        }

        _buffer[_length++] = (byte)value;
    }

    private void Ensure(int extra)
    {
        var needed = _length + extra;
        if (needed <= _buffer.Length)
        {
            return;
        }

        // Encoded records hold private keys: wipe the outgrown buffer instead of leaving a copy behind.
        var old = _buffer;
        var grown = new byte[Math.Max(needed, old.Length * 2)];
        old.AsSpan(0, _length).CopyTo(grown);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(old);
        _buffer = grown;
    }
}
