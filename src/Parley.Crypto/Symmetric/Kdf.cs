using System.Security.Cryptography;

namespace Parley.Crypto.Symmetric;

/// <summary>HKDF-SHA256 (RFC 5869) and HMAC-SHA256 as the protocol uses them (PROTOCOL.md §4).</summary>
public static class Kdf
{
    /// <summary>HMAC-SHA256 output size.</summary>
    public const int HmacSize = 32;

    /// <summary>
    /// HKDF-SHA256. An empty <paramref name="salt"/> means "no salt" (32 zero bytes), which is what libsignal
    /// passes wherever the protocol has none.
    /// </summary>
    public static byte[] HkdfSha256(ReadOnlySpan<byte> inputKeyMaterial, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 255 * HmacSize);
        var output = new byte[length];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, inputKeyMaterial, output, salt, info);
        return output;
    }

    /// <summary>HMAC-SHA256 of <paramref name="data"/> under <paramref name="key"/>.</summary>
    public static byte[] HmacSha256(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => HMACSHA256.HashData(key, data);

    /// <summary>HMAC-SHA256 into a caller buffer of 32 bytes.</summary>
    public static void HmacSha256(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (HMACSHA256.HashData(key, data, destination) != HmacSize)
        {
            throw new CryptographicException("HMAC-SHA256 wrote an unexpected length.");
        }
    }
}
