using System.Runtime.CompilerServices;

namespace Parley.Crypto.Curve25519;

/// <summary>
/// Arithmetic modulo p = 2^255 − 19 in five 51-bit limbs, for checks on <em>public</em> keys only
/// (<see cref="Curve25519Canonicity"/>). Not constant time, and never used with secrets.
/// </summary>
internal struct PublicFieldElement
{
    private const ulong Mask = (1UL << 51) - 1;
    private ulong _l0, _l1, _l2, _l3, _l4;

    public static PublicFieldElement Zero => default;

    public static PublicFieldElement One => FromUInt64(1);

    public static PublicFieldElement FromUInt64(ulong value) => Carry(value & Mask, value >> 51, 0, 0, 0);

    /// <summary>Reads 32 little-endian bytes; bit 255 is ignored (callers check it).</summary>
    public static PublicFieldElement FromBytes(ReadOnlySpan<byte> bytes)
    {
        var w0 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var w1 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        var w2 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]);
        var w3 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]);
        return new PublicFieldElement
        {
            _l0 = w0 & Mask,
            _l1 = ((w0 >> 51) | (w1 << 13)) & Mask,
            _l2 = ((w1 >> 38) | (w2 << 26)) & Mask,
            _l3 = ((w2 >> 25) | (w3 << 39)) & Mask,
            _l4 = (w3 >> 12) & Mask,
        };
    }

    public static PublicFieldElement operator +(PublicFieldElement a, PublicFieldElement b) =>
        Carry(a._l0 + b._l0, a._l1 + b._l1, a._l2 + b._l2, a._l3 + b._l3, a._l4 + b._l4);

    /// <summary>a − b, computed as a + 4p − b so limbs never underflow (inputs are carried, limbs below 2^52).</summary>
    public static PublicFieldElement operator -(PublicFieldElement a, PublicFieldElement b) =>
        Carry(
            a._l0 + 0x1F_FFFF_FFFF_FFB4UL - b._l0,
            a._l1 + 0x1F_FFFF_FFFF_FFFCUL - b._l1,
            a._l2 + 0x1F_FFFF_FFFF_FFFCUL - b._l2,
            a._l3 + 0x1F_FFFF_FFFF_FFFCUL - b._l3,
            a._l4 + 0x1F_FFFF_FFFF_FFFCUL - b._l4);

    public static PublicFieldElement operator *(PublicFieldElement a, PublicFieldElement b)
    {
        ulong b1 = b._l1 * 19, b2 = b._l2 * 19, b3 = b._l3 * 19, b4 = b._l4 * 19;
        var r0 = M(a._l0, b._l0) + M(a._l1, b4) + M(a._l2, b3) + M(a._l3, b2) + M(a._l4, b1);
        var r1 = M(a._l0, b._l1) + M(a._l1, b._l0) + M(a._l2, b4) + M(a._l3, b3) + M(a._l4, b2);
        var r2 = M(a._l0, b._l2) + M(a._l1, b._l1) + M(a._l2, b._l0) + M(a._l3, b4) + M(a._l4, b3);
        var r3 = M(a._l0, b._l3) + M(a._l1, b._l2) + M(a._l2, b._l1) + M(a._l3, b._l0) + M(a._l4, b4);
        var r4 = M(a._l0, b._l4) + M(a._l1, b._l3) + M(a._l2, b._l2) + M(a._l3, b._l1) + M(a._l4, b._l0);

        // Truncating casts keep the low 64 bits; the masks then keep 51.
        r1 += r0 >> 51;
        var l0 = unchecked((ulong)r0) & Mask;
        r2 += r1 >> 51;
        var l1 = unchecked((ulong)r1) & Mask;
        r3 += r2 >> 51;
        var l2 = unchecked((ulong)r2) & Mask;
        r4 += r3 >> 51;
        var l3 = unchecked((ulong)r3) & Mask;
        var top = (ulong)(r4 >> 51);
        var l4 = unchecked((ulong)r4) & Mask;
        return Carry(l0 + (top * 19), l1, l2, l3, l4);
    }

    public readonly PublicFieldElement Square() => this * this;

    /// <summary>The canonical 32-byte encoding (fully reduced).</summary>
    public readonly void ToBytes(Span<byte> destination)
    {
        var t = Carry(_l0, _l1, _l2, _l3, _l4);

        // t < 2p after carrying; subtract p once if t ≥ p (add 19 and look at bit 255).
        var q = (t._l0 + 19) >> 51;
        q = (t._l1 + q) >> 51;
        q = (t._l2 + q) >> 51;
        q = (t._l3 + q) >> 51;
        q = (t._l4 + q) >> 51;
        var l0 = t._l0 + (19 * q);
        var l1 = t._l1 + (l0 >> 51);
        l0 &= Mask;
        var l2 = t._l2 + (l1 >> 51);
        l1 &= Mask;
        var l3 = t._l3 + (l2 >> 51);
        l2 &= Mask;
        var l4 = t._l4 + (l3 >> 51);
        l3 &= Mask;
        l4 &= Mask;

        // Shifts drop high bits by design (packing 51-bit limbs into 64-bit words).
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination, l0 | (l1 << 51));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], (l1 >> 13) | (l2 << 38));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], (l2 >> 26) | (l3 << 25));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], (l3 >> 39) | (l4 << 12));
    }

    public readonly bool IsZero()
    {
        Span<byte> bytes = stackalloc byte[32];
        ToBytes(bytes);
        return !bytes.ContainsAnyExcept((byte)0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static UInt128 M(ulong a, ulong b)
    {
        var high = Math.BigMul(a, b, out var low);
        return new UInt128(high, low);
    }

    private static PublicFieldElement Carry(ulong l0, ulong l1, ulong l2, ulong l3, ulong l4)
    {
        l1 += l0 >> 51;
        l0 &= Mask;
        l2 += l1 >> 51;
        l1 &= Mask;
        l3 += l2 >> 51;
        l2 &= Mask;
        l4 += l3 >> 51;
        l3 &= Mask;
        l0 += (l4 >> 51) * 19;
        l4 &= Mask;
        l1 += l0 >> 51;
        l0 &= Mask;
        return new PublicFieldElement { _l0 = l0, _l1 = l1, _l2 = l2, _l3 = l3, _l4 = l4 };
    }
}
