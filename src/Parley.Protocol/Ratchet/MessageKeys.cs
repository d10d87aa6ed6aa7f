using Parley.Crypto.Symmetric;

namespace Parley.Protocol.Ratchet;

/// <summary>
/// Per-message keys: HKDF-SHA256(no salt, seed, "WhisperMessageKeys", 80) → cipher key (0–31), MAC key (32–63),
/// IV (64–79) (PROTOCOL.md §6.1). Parley never salts with a post-quantum ratchet key (§7: negotiated down).
/// </summary>
internal sealed class MessageKeys
{
    private static ReadOnlySpan<byte> Info => "WhisperMessageKeys"u8;

    private MessageKeys(byte[] cipherKey, byte[] macKey, byte[] iv, uint counter)
    {
        CipherKey = cipherKey;
        MacKey = macKey;
        Iv = iv;
        Counter = counter;
    }

    public byte[] CipherKey { get; }

    public byte[] MacKey { get; }

    public byte[] Iv { get; }

    public uint Counter { get; }

    public static MessageKeys FromSeed(ReadOnlySpan<byte> seed, uint counter)
    {
        var okm = Kdf.HkdfSha256(seed, [], Info, 80);
        try
        {
            return new MessageKeys(okm[..32], okm[32..64], okm[64..80], counter);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(okm);
        }
    }

    /// <summary>Keys stored in expanded form by older records (copied: callers wipe what they receive).</summary>
    public static MessageKeys FromParts(byte[] cipherKey, byte[] macKey, byte[] iv, uint counter) =>
        new((byte[])cipherKey.Clone(), (byte[])macKey.Clone(), (byte[])iv.Clone(), counter);

    public override string ToString() => $"MessageKeys(counter {Counter})";
}
