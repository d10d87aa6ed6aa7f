using System.Security.Cryptography;

namespace Parley.Client.Storage;

/// <summary>
/// Seals every stored value with AES-256-GCM under a subkey of the profile's data key: a version byte, a random
/// 96-bit nonce (<c>AesGcm</c> takes 96-bit nonces only), the ciphertext and a 128-bit tag. The associated data
/// names the row (profile id, table, clear columns), so a value cannot be moved to another row, table or profile.
/// Also computes each row's keyed digest (HMAC-SHA256 under a second subkey) for the store-wide row-set check.
/// </summary>
internal sealed class CellCipher : IDisposable
{
    public const byte Version = 1;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int Overhead = 1 + NonceSize + TagSize;

    private readonly AesGcm _aes;
    private readonly byte[] _digestKey;
    private readonly Lock _gate = new();

    public CellCipher(ReadOnlySpan<byte> dataKey)
    {
        var cellKey = HKDF.Expand(HashAlgorithmName.SHA256, dataKey.ToArray(), 32, "parley.store.cells.v1"u8.ToArray());
        _digestKey = HKDF.Expand(HashAlgorithmName.SHA256, dataKey.ToArray(), 32, "parley.store.digest.v1"u8.ToArray());
        _aes = new AesGcm(cellKey, TagSize);
        CryptographicOperations.ZeroMemory(cellKey);
    }

    public byte[] Seal(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext)
    {
        var cell = new byte[checked(Overhead + plaintext.Length)];
        cell[0] = Version;
        var nonce = cell.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        var ciphertext = cell.AsSpan(1 + NonceSize, plaintext.Length);
        var tag = cell.AsSpan(1 + NonceSize + plaintext.Length, TagSize);
        lock (_gate)
        {
            _aes.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);
        }

        return cell;
    }

    /// <exception cref="StoreIntegrityException">Wrong version, too short, or the tag does not verify.</exception>
    public byte[] Open(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> cell)
    {
        if (cell.Length < Overhead || cell[0] != Version)
        {
            throw new StoreIntegrityException("A stored value is malformed.");
        }

        var length = cell.Length - Overhead;
        var plaintext = new byte[length];
        try
        {
            lock (_gate)
            {
                _aes.Decrypt(cell.Slice(1, NonceSize), cell.Slice(1 + NonceSize, length), cell.Slice(1 + NonceSize + length, TagSize), plaintext, associatedData);
            }
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new StoreIntegrityException("A stored value failed authentication.", e);
        }

        return plaintext;
    }

    /// <summary>The row's contribution to the store digest: HMAC(digest key, associated data ‖ cell).</summary>
    public byte[] RowDigest(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> cell)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _digestKey);
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, associatedData.Length);
        hmac.AppendData(length);
        hmac.AppendData(associatedData);
        hmac.AppendData(cell);
        return hmac.GetHashAndReset();
    }

    public void Dispose()
    {
        _aes.Dispose();
        CryptographicOperations.ZeroMemory(_digestKey);
    }
}
