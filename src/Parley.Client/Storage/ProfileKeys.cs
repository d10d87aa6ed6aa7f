using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Parley.Crypto.Passwords;

namespace Parley.Client.Storage;

/// <summary>
/// The profile's key hierarchy: Argon2id(passphrase, salt) gives a key-encryption key that wraps a random
/// 32-byte data key with AES-256-GCM. The KDF parameters, salt and profile id are bound into the wrap's
/// associated data, so a passphrase change only re-wraps the data key, and editing any of them fails like a
/// wrong passphrase.
/// </summary>
internal static class ProfileKeys
{
    public const int DataKeySize = 32;
    public const int ProfileIdSize = 16;

    /// <summary>Highest memory cost accepted from a stored profile (4 GiB), so an edited file cannot demand more.</summary>
    public const ulong MaxStoredMemLimitBytes = 4UL * 1024 * 1024 * 1024;

    /// <summary>Highest pass count accepted from a stored profile.</summary>
    public const ulong MaxStoredOpsLimit = 64;

    public static byte[] Wrap(ReadOnlySpan<byte> dataKey, string passphrase, ReadOnlySpan<byte> salt, Argon2idCost cost, ReadOnlySpan<byte> profileId)
    {
        var kek = DeriveKek(passphrase, salt, cost);
        try
        {
            var wrapped = new byte[CellCipher.NonceSize + dataKey.Length + CellCipher.TagSize];
            var nonce = wrapped.AsSpan(0, CellCipher.NonceSize);
            RandomNumberGenerator.Fill(nonce);
            using var aes = new AesGcm(kek, CellCipher.TagSize);
            aes.Encrypt(
                nonce,
                dataKey,
                wrapped.AsSpan(CellCipher.NonceSize, dataKey.Length),
                wrapped.AsSpan(CellCipher.NonceSize + dataKey.Length),
                AssociatedData(salt, cost, profileId));
            return wrapped;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }
    }

    /// <summary>The data key, or null when the passphrase (or anything bound to the wrap) is wrong.</summary>
    public static byte[]? Unwrap(ReadOnlySpan<byte> wrapped, string passphrase, ReadOnlySpan<byte> salt, Argon2idCost cost, ReadOnlySpan<byte> profileId)
    {
        if (wrapped.Length != CellCipher.NonceSize + DataKeySize + CellCipher.TagSize)
        {
            return null;
        }

        var kek = DeriveKek(passphrase, salt, cost);
        var dataKey = new byte[DataKeySize];
        try
        {
            using var aes = new AesGcm(kek, CellCipher.TagSize);
            aes.Decrypt(
                wrapped[..CellCipher.NonceSize],
                wrapped.Slice(CellCipher.NonceSize, DataKeySize),
                wrapped[(CellCipher.NonceSize + DataKeySize)..],
                dataKey,
                AssociatedData(salt, cost, profileId));
            return dataKey;
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(dataKey);
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }
    }

    public static bool IsAcceptableStoredCost(Argon2idCost cost) =>
        cost.OpsLimit is >= Argon2id.MinOpsLimit and <= MaxStoredOpsLimit
        && cost.MemLimitBytes >= Argon2id.MinMemLimitBytes && cost.MemLimitBytes <= MaxStoredMemLimitBytes;

    public static byte[] EncodeCost(Argon2idCost cost)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, cost.OpsLimit);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8), cost.MemLimitBytes);
        return bytes;
    }

    public static Argon2idCost? DecodeCost(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 16)
        {
            return null;
        }

        var mem = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        return mem > MaxStoredMemLimitBytes ? null : new Argon2idCost(BinaryPrimitives.ReadUInt64BigEndian(bytes), (nuint)mem);
    }

    private static byte[] DeriveKek(string passphrase, ReadOnlySpan<byte> salt, Argon2idCost cost)
    {
        var password = Encoding.UTF8.GetBytes(passphrase);
        try
        {
            return Argon2id.DeriveKey(password, salt, DataKeySize, cost);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
        }
    }

    private static byte[] AssociatedData(ReadOnlySpan<byte> salt, Argon2idCost cost, ReadOnlySpan<byte> profileId)
    {
        using var buffer = new MemoryStream(80);
        buffer.Write("parley.profile-key.v1\0"u8);
        buffer.Write(profileId);
        buffer.Write(EncodeCost(cost));
        buffer.Write(salt);
        return buffer.ToArray();
    }
}
