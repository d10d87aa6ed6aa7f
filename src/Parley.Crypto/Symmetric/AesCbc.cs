using System.Security.Cryptography;

namespace Parley.Crypto.Symmetric;

/// <summary>AES-256-CBC with PKCS#7 padding, the body cipher of Signal messages (PROTOCOL.md §4).</summary>
public static class AesCbc
{
    /// <summary>AES-256 key size.</summary>
    public const int KeySize = 32;

    /// <summary>CBC initialisation vector size.</summary>
    public const int IvSize = 16;

    /// <summary>Encrypts and pads.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> plaintext)
    {
        CheckKeySize(key);
        return EncryptWithAnyAesKey(key, iv, plaintext);
    }

    /// <summary>
    /// Decrypts and strips the padding. Returns null when the input is empty, not a whole number of blocks,
    /// or badly padded; callers authenticate before decrypting, so this is not a padding oracle.
    /// </summary>
    public static byte[]? TryDecrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> ciphertext)
    {
        CheckKeySize(key);
        return TryDecryptWithAnyAesKey(key, iv, ciphertext);
    }

    /// <summary>As <see cref="Encrypt"/>, for any AES key size (16, 24 or 32 bytes). For the conformance vectors.</summary>
    internal static byte[] EncryptWithAnyAesKey(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> plaintext)
    {
        CheckIvSize(iv);
        // SetKey copies from the span, so no extra key array is left behind; Dispose clears the algorithm's copy.
        using var aes = Aes.Create();
        aes.SetKey(key);
        return aes.EncryptCbc(plaintext, iv, PaddingMode.PKCS7);
    }

    /// <summary>As <see cref="TryDecrypt"/>, for any AES key size (16, 24 or 32 bytes). For the conformance vectors.</summary>
    internal static byte[]? TryDecryptWithAnyAesKey(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> ciphertext)
    {
        CheckIvSize(iv);
        if (ciphertext.IsEmpty || ciphertext.Length % 16 != 0)
        {
            return null;
        }

        using var aes = Aes.Create();
        aes.SetKey(key);
        try
        {
            return aes.DecryptCbc(ciphertext, iv, PaddingMode.PKCS7);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static void CheckKeySize(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"AES-256 needs a {KeySize}-byte key.", nameof(key));
        }
    }

    private static void CheckIvSize(ReadOnlySpan<byte> iv)
    {
        if (iv.Length != IvSize)
        {
            throw new ArgumentException($"CBC needs a {IvSize}-byte IV.", nameof(iv));
        }
    }
}
