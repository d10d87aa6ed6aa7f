using System.Security.Cryptography;

namespace Parley.Client.Keys;

/// <summary>Prekey ids: 1..2^24−1, wrapping, starting at a random point as Signal clients do.</summary>
internal static class KeyIds
{
    public const uint Max = 0xFFFFFF;

    public static uint RandomStart() => (uint)RandomNumberGenerator.GetInt32(1, (int)(Max / 2));

    public static uint Next(uint id) => id >= Max ? 1 : id + 1;
}
