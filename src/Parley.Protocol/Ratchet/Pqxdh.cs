using System.Security.Cryptography;
using Parley.Crypto.Symmetric;
using Parley.Protocol.Keys;

namespace Parley.Protocol.Ratchet;

/// <summary>
/// PQXDH key agreement and the initial ratchet states (PROTOCOL.md §5.1–§5.2).
/// IKM = 0xFF×32 ‖ DH(IK_A, SPK_B) ‖ DH(EK_A, IK_B) ‖ DH(EK_A, SPK_B) ‖ [DH(EK_A, OPK_B)] ‖ Kyber1024 secret;
/// HKDF-SHA256(no salt, IKM, "WhisperText_X25519_SHA-256_CRYSTALS-KYBER-1024", 96) → root key, chain key and the
/// SPQR authentication key (unused: Parley negotiates SPQR down, §7).
/// </summary>
internal static class Pqxdh
{
    public const uint SessionVersion = 4;
    private const int DhSize = 32;
    private static ReadOnlySpan<byte> Info => "WhisperText_X25519_SHA-256_CRYSTALS-KYBER-1024"u8;

    /// <summary>Alice's side: makes the session and the Kyber ciphertext to send.</summary>
    /// <exception cref="InvalidKeyException">A bundle key gives an all-zero agreement.</exception>
    public static (SessionState State, byte[] KyberCiphertext) InitializeAlice(
        IdentityKeyPair ourIdentity,
        EcKeyPair ourBaseKey,
        IdentityKey theirIdentity,
        EcPublicKey theirSignedPreKey,
        EcPublicKey? theirOneTimePreKey,
        KemPublicKey theirKyberPreKey,
        RandomNumberGenerator random)
    {
        var dhCount = theirOneTimePreKey is null ? 3 : 4;
        var ikm = new byte[DhSize + (dhCount * DhSize) + 32];
        byte[]? okm = null;
        byte[]? kyberSecret = null;
        try
        {
            ikm.AsSpan(0, 32).Fill(0xFF);
            var offset = DhSize;
            Agree(ourIdentity.PrivateKey, theirSignedPreKey, ikm, ref offset);
            Agree(ourBaseKey.PrivateKey, theirIdentity.PublicKey, ikm, ref offset);
            Agree(ourBaseKey.PrivateKey, theirSignedPreKey, ikm, ref offset);
            if (theirOneTimePreKey is not null)
            {
                Agree(ourBaseKey.PrivateKey, theirOneTimePreKey, ikm, ref offset);
            }

            (var kyberCiphertext, kyberSecret) = theirKyberPreKey.Encapsulate();
            kyberSecret.CopyTo(ikm, offset);

            okm = Kdf.HkdfSha256(ikm, [], Info, 96);
            var rootKey = okm[..32];
            var chainKey = new ChainKey(okm[32..64], 0);

            // Bob's signed pre-key is his first ratchet key: step once with a fresh sending key (§5.2).
            var sendingRatchetKey = EcKeyPair.Generate(random);
            if (!RootKey.TryCreateChain(rootKey, theirSignedPreKey, sendingRatchetKey.PrivateKey, out var sendingRoot, out var sendingChain))
            {
                throw new InvalidKeyException("Signed pre-key gives an all-zero agreement.");
            }

            var state = new SessionState(SessionVersion, ourIdentity.IdentityKey, theirIdentity, sendingRoot, ourBaseKey.PublicKey.Serialize());
            state.AddReceiverChain(theirSignedPreKey, chainKey);
            state.SenderChain = new SenderChain(sendingRatchetKey, sendingChain);
            CryptographicOperations.ZeroMemory(rootKey);
            return (state, kyberCiphertext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ikm);
            if (okm is not null)
            {
                CryptographicOperations.ZeroMemory(okm);
            }

            if (kyberSecret is not null)
            {
                CryptographicOperations.ZeroMemory(kyberSecret);
            }
        }
    }

    /// <summary>Bob's side, from a PreKey message. False (with a reason) on an unusable key or ciphertext.</summary>
    public static bool TryInitializeBob(
        IdentityKeyPair ourIdentity,
        EcKeyPair ourSignedPreKey,
        EcKeyPair? ourOneTimePreKey,
        KemSecretKey ourKyberPreKey,
        IdentityKey theirIdentity,
        EcPublicKey theirBaseKey,
        ReadOnlySpan<byte> kyberCiphertext,
        out SessionState state,
        out string failure)
    {
        state = null!;
        failure = string.Empty;
        if (!theirBaseKey.IsCanonical())
        {
            failure = "base key is not canonical.";
            return false;
        }

        var dhCount = ourOneTimePreKey is null ? 3 : 4;
        var ikm = new byte[DhSize + (dhCount * DhSize) + 32];
        byte[]? okm = null;
        byte[]? kyberSecret = null;
        try
        {
            ikm.AsSpan(0, 32).Fill(0xFF);
            var offset = DhSize;
            if (!TryAgree(ourSignedPreKey.PrivateKey, theirIdentity.PublicKey, ikm, ref offset)
                || !TryAgree(ourIdentity.PrivateKey, theirBaseKey, ikm, ref offset)
                || !TryAgree(ourSignedPreKey.PrivateKey, theirBaseKey, ikm, ref offset)
                || (ourOneTimePreKey is not null && !TryAgree(ourOneTimePreKey.PrivateKey, theirBaseKey, ikm, ref offset)))
            {
                failure = "key agreement produced an all-zero secret.";
                return false;
            }

            if (!ourKyberPreKey.TryDecapsulate(kyberCiphertext, out kyberSecret))
            {
                failure = "invalid Kyber ciphertext.";
                return false;
            }

            kyberSecret.CopyTo(ikm, offset);
            okm = Kdf.HkdfSha256(ikm, [], Info, 96);
            state = new SessionState(SessionVersion, ourIdentity.IdentityKey, theirIdentity, okm[..32], theirBaseKey.Serialize())
            {
                SenderChain = new SenderChain(ourSignedPreKey, new ChainKey(okm[32..64], 0)),
            };
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ikm);
            if (okm is not null)
            {
                CryptographicOperations.ZeroMemory(okm);
            }

            if (kyberSecret is not null)
            {
                CryptographicOperations.ZeroMemory(kyberSecret);
            }
        }
    }

    private static void Agree(EcPrivateKey ours, EcPublicKey theirs, byte[] ikm, ref int offset)
    {
        if (!TryAgree(ours, theirs, ikm, ref offset))
        {
            throw new InvalidKeyException("Pre-key bundle key gives an all-zero agreement.");
        }
    }

    private static bool TryAgree(EcPrivateKey ours, EcPublicKey theirs, byte[] ikm, ref int offset)
    {
        if (!ours.TryCalculateAgreement(theirs, ikm.AsSpan(offset, DhSize)))
        {
            return false;
        }

        offset += DhSize;
        return true;
    }
}
