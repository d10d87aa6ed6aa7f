using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Parley.Crypto.Symmetric;

/// <summary>
/// AES-256-CTR built on AES-ECB (.NET has no CTR mode). The 16-byte initial counter block is incremented as a
/// 32-bit big-endian counter in its last four bytes, as sealed sender v1 expects (PROTOCOL.md §4).
/// </summary>
public static class AesCtr
{
    /// <summary>Encrypts or decrypts (the same operation) <paramref name="input"/> into a new array.</summary>
    public static byte[] Transform(ReadOnlySpan<byte> key, ReadOnlySpan<byte> initialCounter, ReadOnlySpan<byte> input)
    {
        if (key.Length != AesCbc.KeySize)
        {
            throw new ArgumentException($"AES-256 needs a {AesCbc.KeySize}-byte key.", nameof(key));
        }

        if (initialCounter.Length != 16)
        {
            throw new ArgumentException("CTR needs a 16-byte initial counter block.", nameof(initialCounter));
        }

        var blocks = (input.Length + 15) / 16;
        var counters = new byte[blocks * 16];
        Span<byte> block = stackalloc byte[16];
        initialCounter.CopyTo(block);
        var counter = BinaryPrimitives.ReadUInt32BigEndian(block[12..]);
        for (var i = 0; i < blocks; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(block[12..], unchecked(counter + (uint)i));
            block.CopyTo(counters.AsSpan(i * 16));
        }

        // SetKey copies from the span; Dispose clears the algorithm's own copy.
        using var aes = Aes.Create();
        aes.SetKey(key);
        var keystream = aes.EncryptEcb(counters, PaddingMode.None);
        var output = new byte[input.Length];
        for (var i = 0; i < input.Length; i++)
        {
            output[i] = (byte)(input[i] ^ keystream[i]);
        }

        CryptographicOperations.ZeroMemory(keystream);
        return output;
    }
}
