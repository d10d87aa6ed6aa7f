using System.Security.Cryptography;
using Parley.Crypto.Symmetric;
using Parley.Protocol.Keys;

namespace Parley.Protocol.Ratchet;

/// <summary>
/// The DH-ratchet root step: KDF_RK(rk, DH(ours, theirs)) = HKDF-SHA256(salt = rk, IKM = dh, "WhisperRatchet", 64)
/// → new root key (0–31) and a chain key at index 0 (32–63) (PROTOCOL.md §6.1).
/// </summary>
internal static class RootKey
{
    public const int Size = 32;
    private static ReadOnlySpan<byte> Info => "WhisperRatchet"u8;

    /// <summary>False when the agreement is all zero (a small-order ratchet key).</summary>
    public static bool TryCreateChain(byte[] rootKey, EcPublicKey theirRatchetKey, EcPrivateKey ourRatchetKey, out byte[] newRootKey, out ChainKey chainKey)
    {
        newRootKey = [];
        chainKey = null!;
        Span<byte> shared = stackalloc byte[32];
        try
        {
            if (!ourRatchetKey.TryCalculateAgreement(theirRatchetKey, shared))
            {
                return false;
            }

            var okm = Kdf.HkdfSha256(shared, rootKey, Info, 64);
            newRootKey = okm[..32];
            chainKey = new ChainKey(okm[32..64], 0);
            CryptographicOperations.ZeroMemory(okm);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }
}
