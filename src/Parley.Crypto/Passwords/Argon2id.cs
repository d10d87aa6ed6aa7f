using System.Security.Cryptography;
using Parley.Crypto.Sodium;

namespace Parley.Crypto.Passwords;

/// <summary>
/// Argon2id v1.3 (RFC 9106) key derivation from a password, via the system libsodium's <c>crypto_pwhash</c>
/// (one lane, no secret key or associated data — libsodium's interface takes neither).
/// </summary>
public static unsafe class Argon2id
{
    /// <summary>Salt size libsodium requires.</summary>
    public const int SaltSize = 16;

    /// <summary>Shortest output libsodium produces.</summary>
    public const int MinOutputLength = 16;

    /// <summary>Fewest passes libsodium accepts for Argon2id.</summary>
    public const ulong MinOpsLimit = 1;

    /// <summary>Most passes libsodium accepts.</summary>
    public const ulong MaxOpsLimit = uint.MaxValue;

    /// <summary>Least memory libsodium accepts (8 KiB).</summary>
    public const ulong MinMemLimitBytes = 8192;

    /// <summary>Most memory libsodium accepts on a 64-bit build (2^32 − 1 KiB).</summary>
    public const ulong MaxMemLimitBytes = 4398046510080;

    // crypto_pwhash_ALG_ARGON2ID13.
    private const int AlgorithmArgon2id13 = 2;

    /// <summary>Derives <paramref name="outputLength"/> bytes from a password and a 16-byte salt.</summary>
    public static byte[] DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt16, int outputLength, Argon2idCost cost) =>
        DeriveKey(password, salt16, outputLength, cost.OpsLimit, cost.MemLimitBytes);

    /// <summary>Derives <paramref name="outputLength"/> bytes from a password and a 16-byte salt.</summary>
    /// <exception cref="ArgumentException">A parameter is outside libsodium's limits (the message names which).</exception>
    /// <exception cref="CryptographicException">libsodium failed, typically because the memory could not be allocated.</exception>
    public static byte[] DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt16, int outputLength, ulong opsLimit, nuint memLimitBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outputLength, MinOutputLength);
        var output = new byte[outputLength];
        DeriveKey(password, salt16, output, opsLimit, memLimitBytes);
        return output;
    }

    /// <summary>Fills <paramref name="output"/> (at least 16 bytes) with key material derived from the password and salt.</summary>
    public static void DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt16, Span<byte> output, ulong opsLimit, nuint memLimitBytes)
    {
        if (salt16.Length != SaltSize)
        {
            throw new ArgumentException($"Argon2id needs a {SaltSize}-byte salt, got {salt16.Length} bytes.", nameof(salt16));
        }

        if (output.Length < MinOutputLength)
        {
            throw new ArgumentException($"Argon2id output must be at least {MinOutputLength} bytes, got {output.Length}.", nameof(output));
        }

        if (opsLimit is < MinOpsLimit or > MaxOpsLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(opsLimit), opsLimit, $"Argon2id opsLimit must be between {MinOpsLimit} and {MaxOpsLimit}.");
        }

        if (memLimitBytes < MinMemLimitBytes || memLimitBytes > MaxMemLimitBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(memLimitBytes), memLimitBytes, $"Argon2id memLimitBytes must be between {MinMemLimitBytes} and {MaxMemLimitBytes}.");
        }

        SodiumLibrary.EnsureInitialised();
        fixed (byte* pOutput = output)
        fixed (byte* pPassword = password)
        fixed (byte* pSalt = salt16)
        {
            var result = SodiumNative.crypto_pwhash(
                pOutput, (ulong)output.Length, pPassword, (ulong)password.Length, pSalt, opsLimit, memLimitBytes, AlgorithmArgon2id13);
            if (result != 0)
            {
                CryptographicOperations.ZeroMemory(output);
                throw new CryptographicException(
                    $"Argon2id failed (libsodium crypto_pwhash returned {result}); most likely {memLimitBytes} bytes of memory could not be allocated.");
            }
        }
    }
}
