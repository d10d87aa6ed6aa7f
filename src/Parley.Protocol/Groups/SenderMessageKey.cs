using System.Security.Cryptography;
using Parley.Crypto.Symmetric;

namespace Parley.Protocol.Groups;

/// <summary>
/// A group message key: HKDF-SHA256(no salt, seed, "WhisperGroup", 48) → IV (0–15), AES key (16–47) — IV first,
/// unlike 1:1 messages (PROTOCOL.md §8).
/// </summary>
internal sealed class SenderMessageKey
{
    private static ReadOnlySpan<byte> Info => "WhisperGroup"u8;

    public SenderMessageKey(uint iteration, byte[] seed)
    {
        Iteration = iteration;
        Seed = seed;
    }

    public uint Iteration { get; }

    public byte[] Seed { get; }

    /// <summary>Derives (IV, cipher key); the caller wipes the cipher key.</summary>
    public (byte[] Iv, byte[] CipherKey) Derive()
    {
        var okm = Kdf.HkdfSha256(Seed, [], Info, 48);
        var result = (okm[..16], okm[16..48]);
        CryptographicOperations.ZeroMemory(okm);
        return result;
    }

    public override string ToString() => $"SenderMessageKey(iteration {Iteration})";
}
