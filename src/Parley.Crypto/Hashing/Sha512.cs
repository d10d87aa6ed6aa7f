using System.Security.Cryptography;
using Parley.Crypto.Sodium;

namespace Parley.Crypto.Hashing;

/// <summary>
/// SHA-512 through libsodium, one-shot or incremental. XEdDSA and safety numbers hash many short inputs, where a
/// call into libsodium costs a fraction of a call through .NET's OpenSSL binding (context set-up per call).
/// </summary>
public sealed class Sha512 : IDisposable
{
    /// <summary>Digest length in bytes.</summary>
    public const int HashSize = 64;

    private static readonly int StateSize = StateBytes();

    private readonly byte[] _state = new byte[StateSize];
    private bool _disposed;

    /// <summary>Starts an empty hash.</summary>
    public Sha512() => Reset();

    /// <summary>SHA-512 of <paramref name="data"/> into <paramref name="digest"/> (64 bytes).</summary>
    public static unsafe void Hash(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(digest.Length, HashSize, nameof(digest));
        SodiumLibrary.EnsureInitialised();
        fixed (byte* input = data)
        fixed (byte* output = digest)
        {
            Check(SodiumNative.crypto_hash_sha512(output, input, (ulong)data.Length));
        }
    }

    /// <summary>Adds <paramref name="data"/> to the hash.</summary>
    public unsafe void Append(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        fixed (byte* state = _state)
        fixed (byte* input = data)
        {
            Check(SodiumNative.crypto_hash_sha512_update(state, input, (ulong)data.Length));
        }
    }

    /// <summary>Writes the digest of everything appended and starts again from empty.</summary>
    public unsafe void FinishAndReset(Span<byte> digest)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(digest.Length, HashSize, nameof(digest));
        fixed (byte* state = _state)
        fixed (byte* output = digest)
        {
            Check(SodiumNative.crypto_hash_sha512_final(state, output));
        }

        Reset();
    }

    /// <summary>Wipes the state (it may have absorbed secret input).</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_state);
        _disposed = true;
    }

    private unsafe void Reset()
    {
        fixed (byte* state = _state)
        {
            Check(SodiumNative.crypto_hash_sha512_init(state));
        }
    }

    private static int StateBytes()
    {
        SodiumLibrary.EnsureInitialised();
        return checked((int)SodiumNative.crypto_hash_sha512_statebytes());
    }

    private static void Check(int result)
    {
        if (result != 0)
        {
            throw new CryptographicException("libsodium's SHA-512 failed.");
        }
    }
}
