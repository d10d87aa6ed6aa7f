namespace Parley.Benchmarks.Support;

/// <summary>Message bodies of the benchmarked sizes (content does not affect the cost).</summary>
public static class Payload
{
    /// <summary>A short chat message.</summary>
    public const int Small = 100;

    /// <summary>A longer chat message: 1 KiB.</summary>
    public const int Medium = 1024;

    /// <summary>A long message or a small attachment pointer bundle: 16 KiB.</summary>
    public const int Large = 16 * 1024;

    public static byte[] Of(int size)
    {
        var bytes = new byte[size];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)('a' + (i % 26));
        }

        return bytes;
    }
}
