using System.Runtime.CompilerServices;

namespace Parley.Crypto.Kem;

/// <summary>Comparison and selection whose running time does not depend on the bytes compared.</summary>
internal static class ConstantTime
{
    /// <summary>0xFF when the two spans differ anywhere, 0x00 when equal. Always reads every byte.</summary>
    /// <remarks>Like <c>CryptographicOperations.FixedTimeEquals</c>, but yields a mask for a branch-free select.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
    internal static byte DifferenceMask(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        if (left.Length != right.Length)
        {
            throw new ArgumentException("Spans must have the same length.", nameof(right));
        }

        var accumulator = 0;
        for (var i = 0; i < left.Length; i++)
        {
            accumulator |= left[i] ^ right[i];
        }

        // accumulator is in [0, 255]: its negation is negative exactly when it is non-zero.
        return (byte)((0 - accumulator) >> 31);
    }

    /// <summary>destination = mask == 0xFF ? whenSet : whenClear, byte by byte, for a mask of 0x00 or 0xFF.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
    internal static void Select(byte mask, ReadOnlySpan<byte> whenSet, ReadOnlySpan<byte> whenClear, Span<byte> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (byte)(whenClear[i] ^ (mask & (whenClear[i] ^ whenSet[i])));
        }
    }
}
