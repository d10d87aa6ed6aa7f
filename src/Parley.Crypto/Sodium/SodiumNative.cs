using System.Runtime.InteropServices;

namespace Parley.Crypto.Sodium;

/// <summary>The libsodium 1.0.18 entry points Parley uses. Call <see cref="SodiumLibrary.EnsureInitialised"/> first.</summary>
/// <remarks>Every function returns 0 on success and -1 on failure unless noted.</remarks>
internal static unsafe partial class SodiumNative
{
    [LibraryImport(SodiumLibrary.Name)]
    internal static partial int sodium_init();

    // X25519 (RFC 7748). Fails (-1) when the shared point is all zero.
    [LibraryImport(SodiumLibrary.Name)]
    internal static partial int crypto_scalarmult_curve25519(byte* q, byte* n, byte* p);

    [LibraryImport(SodiumLibrary.Name)]
    internal static partial int crypto_scalarmult_curve25519_base(byte* q, byte* n);

    // Ed25519 group and scalar arithmetic (for XEdDSA).
    [LibraryImport(SodiumLibrary.Name)]
    internal static partial void crypto_core_ed25519_scalar_reduce(byte* r, byte* s);

    [LibraryImport(SodiumLibrary.Name)]
    internal static partial void crypto_core_ed25519_scalar_add(byte* z, byte* x, byte* y);

    [LibraryImport(SodiumLibrary.Name)]
    internal static partial void crypto_core_ed25519_scalar_mul(byte* z, byte* x, byte* y);

    // Fails when n is zero or the result is the identity.
    [LibraryImport(SodiumLibrary.Name)]
    internal static partial int crypto_scalarmult_ed25519_base_noclamp(byte* q, byte* n);

    // Fails when p is not a canonical point of the prime-order subgroup, or the result is the identity.
    [LibraryImport(SodiumLibrary.Name)]
    internal static partial int crypto_scalarmult_ed25519_noclamp(byte* q, byte* n, byte* p);

    // 1 when p is canonical, on the curve, in the prime-order subgroup and not of small order.
    [LibraryImport(SodiumLibrary.Name)]
    internal static partial int crypto_core_ed25519_is_valid_point(byte* p);

    // Accept any on-curve points, including those with a torsion component.
    [LibraryImport(SodiumLibrary.Name)]
    internal static partial int crypto_core_ed25519_add(byte* r, byte* p, byte* q);

    [LibraryImport(SodiumLibrary.Name)]
    internal static partial int crypto_core_ed25519_sub(byte* r, byte* p, byte* q);

    // Ed25519 signatures (RFC 8032), used for the conformance vectors.
    [LibraryImport(SodiumLibrary.Name)]
    internal static partial int crypto_sign_ed25519_seed_keypair(byte* pk, byte* sk, byte* seed);

    [LibraryImport(SodiumLibrary.Name)]
    internal static partial int crypto_sign_ed25519_detached(byte* sig, ulong* siglen, byte* m, ulong mlen, byte* sk);

    [LibraryImport(SodiumLibrary.Name)]
    internal static partial int crypto_sign_ed25519_verify_detached(byte* sig, byte* m, ulong mlen, byte* pk);

    // Argon2id v1.3 (alg = 2).
    [LibraryImport(SodiumLibrary.Name)]
    internal static partial int crypto_pwhash(
        byte* output, ulong outputLength, byte* password, ulong passwordLength, byte* salt,
        ulong opsLimit, nuint memLimit, int algorithm);

    // Argon2id limits and presets as this libsodium build defines them (checked against Parley's constants in tests).
    [LibraryImport(SodiumLibrary.Name)]
    internal static partial int crypto_pwhash_alg_argon2id13();

    [LibraryImport(SodiumLibrary.Name)]
    internal static partial nuint crypto_pwhash_argon2id_saltbytes();

    [LibraryImport(SodiumLibrary.Name)]
    internal static partial nuint crypto_pwhash_argon2id_bytes_min();

    [LibraryImport(SodiumLibrary.Name)]
    internal static partial nuint crypto_pwhash_argon2id_opslimit_min();

    [LibraryImport(SodiumLibrary.Name)]
    internal static partial nuint crypto_pwhash_argon2id_opslimit_max();

    [LibraryImport(SodiumLibrary.Name)]
    internal static partial nuint crypto_pwhash_argon2id_memlimit_min();

    [LibraryImport(SodiumLibrary.Name)]
    internal static partial nuint crypto_pwhash_argon2id_memlimit_max();

    [LibraryImport(SodiumLibrary.Name)]
    internal static partial nuint crypto_pwhash_argon2id_opslimit_interactive();

    [LibraryImport(SodiumLibrary.Name)]
    internal static partial nuint crypto_pwhash_argon2id_memlimit_interactive();

    [LibraryImport(SodiumLibrary.Name)]
    internal static partial nuint crypto_pwhash_argon2id_opslimit_moderate();

    [LibraryImport(SodiumLibrary.Name)]
    internal static partial nuint crypto_pwhash_argon2id_memlimit_moderate();

    // SHA-512 (FIPS 180-4): one-shot and incremental. The state is opaque; its size comes from the library.
    [LibraryImport(SodiumLibrary.Name)]
    internal static partial int crypto_hash_sha512(byte* output, byte* input, ulong inputLength);

    [LibraryImport(SodiumLibrary.Name)]
    internal static partial nuint crypto_hash_sha512_statebytes();

    [LibraryImport(SodiumLibrary.Name)]
    internal static partial int crypto_hash_sha512_init(byte* state);

    [LibraryImport(SodiumLibrary.Name)]
    internal static partial int crypto_hash_sha512_update(byte* state, byte* input, ulong inputLength);

    [LibraryImport(SodiumLibrary.Name)]
    internal static partial int crypto_hash_sha512_final(byte* state, byte* output);
}
