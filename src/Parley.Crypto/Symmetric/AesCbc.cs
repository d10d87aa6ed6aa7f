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
        CheckSizes(key, iv);
        using var aes = Aes.Create();
        aes.Key = key.ToArray();
        try
        {
            return aes.EncryptCbc(plaintext, iv, PaddingMode.PKCS7);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(aes.Key);
        }
    }

    /// <summary>
    /// Decrypts and strips the padding. Returns null when the input is empty, not a whole number of blocks,
    /// or badly padded; callers authenticate before decrypting, so this is not a padding oracle.
    /// </summary>
    public static byte[]? TryDecrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> ciphertext)
    {
        CheckSizes(key, iv);
        if (ciphertext.IsEmpty || ciphertext.Length % 16 != 0)
        {
            return null;
        }

        using var aes = Aes.Create();
        aes.Key = key.ToArray();
        try
        {
            return aes.DecryptCbc(ciphertext, iv, PaddingMode.PKCS7);
        }
        catch (CryptographicException)
        {
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(aes.Key);
        }
    }

    private static void CheckSizes(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"AES-256 needs a {KeySize}-byte key.", nameof(key));
        }

        if (iv.Length != IvSize)
        {
            throw new ArgumentException($"CBC needs a {IvSize}-byte IV.", nameof(iv));
        }
    }
}
