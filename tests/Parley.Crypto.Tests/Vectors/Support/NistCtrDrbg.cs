using System.Security.Cryptography;

namespace Parley.Crypto.Tests.Vectors.Support;

/// <summary>
/// The AES-256 CTR_DRBG without a derivation function (NIST SP 800-90A §10.2.1) as the NIST PQC KAT generators
/// use it: seeded with 48 bytes, no personalisation, no reseeding; each request is followed by an update.
/// Test-only: it rebuilds the randomness behind the .rsp known-answer files.
/// </summary>
internal sealed class NistCtrDrbg : IDisposable
{
    private readonly Aes aes = Aes.Create();
    private readonly byte[] key = new byte[32];
    private readonly byte[] v = new byte[16];

    public NistCtrDrbg(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != 48)
        {
            throw new ArgumentException("CTR_DRBG seed material is 48 bytes.", nameof(seed));
        }

        aes.Key = key;
        Update(seed);
    }

    /// <summary>Fills <paramref name="destination"/> like the KAT generator's randombytes().</summary>
    public void Generate(Span<byte> destination)
    {
        Span<byte> block = stackalloc byte[16];
        while (!destination.IsEmpty)
        {
            IncrementV();
            aes.EncryptEcb(v, block, PaddingMode.None);
            var take = Math.Min(16, destination.Length);
            block[..take].CopyTo(destination);
            destination = destination[take..];
        }

        Update([]);
    }

    public void Dispose() => aes.Dispose();

    // (Key, V) = the 48 bytes AES_Key(V+1) ‖ AES_Key(V+2) ‖ AES_Key(V+3), XORed with provided data.
    private void Update(ReadOnlySpan<byte> provided)
    {
        Span<byte> temp = stackalloc byte[48];
        for (var i = 0; i < 3; i++)
        {
            IncrementV();
            aes.EncryptEcb(v, temp.Slice(16 * i, 16), PaddingMode.None);
        }

        for (var i = 0; i < provided.Length; i++)
        {
            temp[i] ^= provided[i];
        }

        temp[..32].CopyTo(key);
        temp[32..].CopyTo(v);
        aes.Key = key;
    }

    // V is a 128-bit big-endian counter.
    private void IncrementV()
    {
        for (var i = 15; i >= 0; i--)
        {
            v[i] = unchecked((byte)(v[i] + 1));
            if (v[i] != 0)
            {
                break;
            }
        }
    }
}
