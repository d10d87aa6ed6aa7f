using System.Buffers.Binary;

namespace Parley.Client.Storage;

/// <summary>
/// The sum, modulo 2^256, of every sealed row's keyed digest (<see cref="CellCipher.RowDigest"/>). Adding a
/// row adds its digest, removing it subtracts it, so each transaction updates the total in O(rows changed).
/// Because the digests are keyed, someone without the data key cannot find rows whose removal, duplication or
/// replay by an older copy keeps the total: on open, a recomputed total that differs means the row set was
/// changed outside Parley.
/// </summary>
internal sealed class RowSetDigest
{
    public const int Size = 32;
    private readonly ulong[] _limbs = new ulong[4];

    public static RowSetDigest FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new StoreIntegrityException("The store digest is malformed.");
        }

        var digest = new RowSetDigest();
        for (var i = 0; i < 4; i++)
        {
            digest._limbs[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(i * 8, 8));
        }

        return digest;
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[Size];
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8, 8), _limbs[i]);
        }

        return bytes;
    }

    public void Add(ReadOnlySpan<byte> rowDigest)
    {
        ulong carry = 0;
        for (var i = 0; i < 4; i++)
        {
            var term = BinaryPrimitives.ReadUInt64LittleEndian(rowDigest.Slice(i * 8, 8));
            var sum = unchecked(_limbs[i] + term);
            var carryOut = sum < term ? 1UL : 0UL;
            var withCarry = unchecked(sum + carry);
            carryOut += withCarry < carry ? 1UL : 0UL;
            _limbs[i] = withCarry;
            carry = carryOut;
        }
    }

    public void Subtract(ReadOnlySpan<byte> rowDigest)
    {
        ulong borrow = 0;
        for (var i = 0; i < 4; i++)
        {
            var term = BinaryPrimitives.ReadUInt64LittleEndian(rowDigest.Slice(i * 8, 8));
            var difference = unchecked(_limbs[i] - term);
            var borrowOut = _limbs[i] < term ? 1UL : 0UL;
            var withBorrow = unchecked(difference - borrow);
            borrowOut += difference < borrow ? 1UL : 0UL;
            _limbs[i] = withBorrow;
            borrow = borrowOut;
        }
    }

    public bool SameAs(RowSetDigest other) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(ToBytes(), other.ToBytes());
}
