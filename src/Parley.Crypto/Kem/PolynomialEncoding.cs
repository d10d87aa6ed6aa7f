namespace Parley.Crypto.Kem;

/// <summary>
/// ByteEncode/ByteDecode, Compress/Decompress (FIPS 203 §4.2.1, Algorithms 5 and 6) on one polynomial.
/// No branches or look-ups on coefficient values; divisions by q are done with a fixed multiply-and-shift.
/// </summary>
internal static class PolynomialEncoding
{
    private const int Q = KemParameters.Q;

    // floor(y / q) = (y · ⌈2^40 / q⌉) >> 40 exactly for every y < 2^24 (the error term stays below 1/q).
    private const int DivisionShift = 40;
    private const ulong DivisionMultiplier = ((1UL << DivisionShift) + Q - 1) / Q;

    /// <summary>Packs 256 values of <paramref name="bits"/> bits each, least significant bit first.</summary>
    internal static void Encode(ReadOnlySpan<short> values, int bits, Span<byte> destination)
    {
        ulong buffer = 0;
        var held = 0;
        var output = 0;
        var mask = (1u << bits) - 1;
        for (var i = 0; i < KemParameters.N; i++)
        {
            buffer |= ((ulong)((uint)values[i] & mask)) << held;
            held += bits;
            while (held >= 8)
            {
                destination[output++] = (byte)buffer;
                buffer >>= 8;
                held -= 8;
            }
        }
    }

    /// <summary>Unpacks 256 values of <paramref name="bits"/> bits each (32·bits bytes).</summary>
    internal static void Decode(ReadOnlySpan<byte> source, int bits, Span<short> destination)
    {
        ulong buffer = 0;
        var held = 0;
        var index = 0;
        var mask = (1UL << bits) - 1;
        for (var i = 0; i < 32 * bits; i++)
        {
            buffer |= (ulong)source[i] << held;
            held += 8;
            while (held >= bits)
            {
                destination[index++] = (short)(buffer & mask);
                buffer >>= bits;
                held -= bits;
            }
        }
    }

    /// <summary>ByteEncode12 of a polynomial with coefficients in any 16-bit representation (reduced first).</summary>
    internal static void Encode12(ReadOnlySpan<short> polynomial, Span<byte> destination)
    {
        Span<short> canonical = stackalloc short[KemParameters.N];
        for (var i = 0; i < KemParameters.N; i++)
        {
            canonical[i] = FieldArithmetic.Canonical(polynomial[i]);
        }

        Encode(canonical, 12, destination);
        canonical.Clear();
    }

    /// <summary>ByteDecode12, reducing each 12-bit value mod q as FIPS 203 specifies for d = 12.</summary>
    internal static void Decode12(ReadOnlySpan<byte> source, Span<short> destination)
    {
        Decode(source, 12, destination);
        for (var i = 0; i < KemParameters.N; i++)
        {
            destination[i] = FieldArithmetic.SubtractQIfAtLeastQ(destination[i]);
        }
    }

    /// <summary>True when every 12-bit value in the encoding is below q (the FIPS 203 §7.2 modulus check). Public data.</summary>
    internal static bool IsReducedEncoding12(ReadOnlySpan<byte> source)
    {
        for (var i = 0; i + 3 <= source.Length; i += 3)
        {
            var d1 = source[i] | ((source[i + 1] & 0x0F) << 8);
            var d2 = (source[i + 1] >> 4) | (source[i + 2] << 4);
            if (d1 >= Q || d2 >= Q)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>ByteEncode_d(Compress_d(f)) for d &lt; 12; coefficients in any 16-bit representation.</summary>
    internal static void CompressAndEncode(ReadOnlySpan<short> polynomial, int bits, Span<byte> destination)
    {
        Span<short> compressed = stackalloc short[KemParameters.N];
        for (var i = 0; i < KemParameters.N; i++)
        {
            compressed[i] = Compress(FieldArithmetic.Canonical(polynomial[i]), bits);
        }

        Encode(compressed, bits, destination);
        compressed.Clear();
    }

    /// <summary>Decompress_d(ByteDecode_d(bytes)) for d &lt; 12; output coefficients in [0, q).</summary>
    internal static void DecodeAndDecompress(ReadOnlySpan<byte> source, int bits, Span<short> destination)
    {
        Decode(source, bits, destination);
        for (var i = 0; i < KemParameters.N; i++)
        {
            destination[i] = Decompress(destination[i], bits);
        }
    }

    /// <summary>Compress_d(x) = round(2^d · x / q) mod 2^d for x in [0, q).</summary>
    internal static short Compress(short x, int bits)
    {
        var scaled = ((ulong)(uint)x << bits) + (Q / 2);
        var quotient = (scaled * DivisionMultiplier) >> DivisionShift;
        return (short)(quotient & ((1UL << bits) - 1));
    }

    /// <summary>Decompress_d(y) = round(q · y / 2^d) for y in [0, 2^d).</summary>
    internal static short Decompress(short y, int bits) => (short)(((y * Q) + (1 << (bits - 1))) >> bits);
}
