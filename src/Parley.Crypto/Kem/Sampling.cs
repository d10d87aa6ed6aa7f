using System.Buffers.Binary;

namespace Parley.Crypto.Kem;

/// <summary>SampleNTT and SamplePolyCBD (FIPS 203 Algorithms 7 and 8).</summary>
internal static class Sampling
{
    private const int XofBlockBytes = 168;

    /// <summary>
    /// Five SHAKE128 blocks. 256 accepted values need about 473 bytes on average; running out of 840 bytes
    /// has a probability far below 2^-100, and is handled anyway by reading a longer stream.
    /// </summary>
    internal const int DefaultXofBytes = 5 * XofBlockBytes;

    /// <summary>
    /// Â[i, j] = SampleNTT(ρ ‖ j ‖ i): rejection sampling of 12-bit values below q from SHAKE128.
    /// ρ is public, so the data-dependent loop leaks nothing secret. Output coefficients are in [0, q).
    /// </summary>
    internal static void SampleNtt(ReadOnlySpan<byte> rho, byte first, byte second, Span<short> destination, int initialXofBytes = DefaultXofBytes)
    {
        Span<byte> stream = stackalloc byte[initialXofBytes];
        KemHashes.Xof(rho, first, second, stream);
        var filled = AcceptCoefficients(stream, destination, 0);
        var consumed = stream.Length;
        while (filled < KemParameters.N)
        {
            // Read a longer stream and continue where the shorter one ended.
            var longer = new byte[consumed * 2];
            KemHashes.Xof(rho, first, second, longer);
            filled = AcceptCoefficients(longer.AsSpan(consumed), destination, filled);
            consumed = longer.Length;
        }
    }

    /// <summary>
    /// SamplePolyCBD_2: each coefficient is (b0 + b1) − (b2 + b3) for four consecutive bits of the 128-byte
    /// PRF output, computed with masks and shifts only (the bits are secret). Output in [−2, 2].
    /// </summary>
    internal static void SampleCenteredBinomial2(ReadOnlySpan<byte> bytes, Span<short> destination)
    {
        for (var word = 0; word < KemParameters.N / 8; word++)
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(4 * word)..]);
            var pairSums = (bits & 0x55555555u) + ((bits >> 1) & 0x55555555u);
            for (var k = 0; k < 8; k++)
            {
                var x = (int)((pairSums >> (4 * k)) & 3);
                var y = (int)((pairSums >> ((4 * k) + 2)) & 3);
                destination[(8 * word) + k] = (short)(x - y);
            }
        }
    }

    // Consumes 3 bytes at a time (two 12-bit candidates); stream lengths are multiples of 3.
    private static int AcceptCoefficients(ReadOnlySpan<byte> stream, Span<short> destination, int filled)
    {
        for (var position = 0; position + 3 <= stream.Length && filled < KemParameters.N; position += 3)
        {
            var d1 = stream[position] | ((stream[position + 1] & 0x0F) << 8);
            var d2 = (stream[position + 1] >> 4) | (stream[position + 2] << 4);
            if (d1 < KemParameters.Q)
            {
                destination[filled++] = (short)d1;
            }

            if (d2 < KemParameters.Q && filled < KemParameters.N)
            {
                destination[filled++] = (short)d2;
            }
        }

        return filled;
    }
}
