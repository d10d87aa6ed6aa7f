using Parley.Protocol.Wire;

namespace Parley.Protocol.Records;

/// <summary>
/// The field layout shared by libsignal's pre-key storage records: <c>PreKeyRecordStructure</c> {1 id, 2 public,
/// 3 private} and <c>SignedPreKeyRecordStructure</c> {1 id, 2 public, 3 private, 4 signature, 5 timestamp
/// (fixed64 ms)}, which Kyber pre-keys reuse with type-prefixed KEM keys.
/// </summary>
internal static class KeyRecordCodec
{
    internal ref struct Fields
    {
        public uint Id;
        public ReadOnlySpan<byte> PublicKey;
        public ReadOnlySpan<byte> PrivateKey;
        public ReadOnlySpan<byte> Signature;
        public ulong Timestamp;
    }

    public static Fields Decode(ReadOnlySpan<byte> data, string recordName)
    {
        var fields = default(Fields);
        var reader = new ProtoReader(data);
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                throw new InvalidRecordException($"Malformed {recordName}.");
            }

            var ok = field switch
            {
                1 => reader.TryReadUInt32(wireType, out fields.Id),
                2 => reader.TryReadBytes(wireType, out fields.PublicKey),
                3 => reader.TryReadBytes(wireType, out fields.PrivateKey),
                4 => reader.TryReadBytes(wireType, out fields.Signature),
                5 => reader.TryReadFixed64(wireType, out fields.Timestamp),
                _ => reader.TrySkip(wireType),
            };
            if (!ok)
            {
                throw new InvalidRecordException($"Malformed {recordName}.");
            }
        }

        return fields;
    }

    public static byte[] Encode(uint id, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> signature, ulong timestamp)
    {
        var writer = new ProtoWriter(publicKey.Length + privateKey.Length + signature.Length + 32);
        if (id != 0)
        {
            writer.WriteVarintField(1, id);
        }

        writer.WriteBytesField(2, publicKey);
        writer.WriteBytesField(3, privateKey);
        if (!signature.IsEmpty)
        {
            writer.WriteBytesField(4, signature);
        }

        if (timestamp != 0)
        {
            writer.WriteFixed64Field(5, timestamp);
        }

        var bytes = writer.ToArray();
        writer.Clear();
        return bytes;
    }

    public static DateTimeOffset ToTimestamp(ulong milliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Min(milliseconds, 253_402_300_799_999UL));

    public static ulong FromTimestamp(DateTimeOffset timestamp) =>
        timestamp.ToUnixTimeMilliseconds() is var ms and > 0 ? (ulong)ms : 0;
}
