using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Parley.Crypto.Kem;

/// <summary>
/// K-PKE, the CPA-secure encryption scheme under ML-KEM and Kyber (FIPS 203 §5, Algorithms 13–15), for k = 4.
/// </summary>
/// <remarks>
/// The matrix Â is never stored: each entry is sampled when it is needed and multiplied in at once, so all
/// working memory lives on the stack (about 5 KB) and is zeroed before returning.
/// </remarks>
internal static class KPke
{
    private const int N = KemParameters.N;
    private const int K = KemParameters.K;

    /// <summary>
    /// K-PKE.KeyGen. The seed expansion is (ρ, σ) = G(d ‖ k) for ML-KEM and G(d) for Kyber round 3 (PROTOCOL.md §5.3).
    /// Writes ek (1568 bytes) and dk_PKE (1536 bytes).
    /// </summary>
    internal static void GenerateKeys(ReadOnlySpan<byte> d, bool domainSeparated, Span<byte> encapsulationKey, Span<byte> decryptionKey)
    {
        Span<byte> seedInput = stackalloc byte[KemParameters.SymmetricBytes + 1];
        Span<byte> rhoSigma = stackalloc byte[2 * KemParameters.SymmetricBytes];
        Span<byte> noise = stackalloc byte[KemParameters.NoiseBytes];
        Span<short> s = stackalloc short[K * N];
        Span<short> t = stackalloc short[K * N];
        Span<short> scratch = stackalloc short[N];
        try
        {
            d.CopyTo(seedInput);
            seedInput[KemParameters.SymmetricBytes] = K;
            KemHashes.G(domainSeparated ? seedInput : seedInput[..KemParameters.SymmetricBytes], rhoSigma);
            ReadOnlySpan<byte> rho = rhoSigma[..KemParameters.SymmetricBytes];
            ReadOnlySpan<byte> sigma = rhoSigma[KemParameters.SymmetricBytes..];

            for (var i = 0; i < K; i++)
            {
                KemHashes.Prf(sigma, (byte)i, noise);
                Sampling.SampleCenteredBinomial2(noise, Poly(s, i));
                Ntt.Forward(Poly(s, i));
            }

            for (var i = 0; i < K; i++)
            {
                // t̂[i] = Σ_j Â[i, j] ∘ ŝ[j] + ê[i]
                var ti = Poly(t, i);
                ti.Clear();
                for (var j = 0; j < K; j++)
                {
                    Sampling.SampleNtt(rho, (byte)j, (byte)i, scratch);
                    Ntt.MultiplyAccumulate(ti, scratch, Poly(s, j));
                }

                KemHashes.Prf(sigma, (byte)(K + i), noise);
                Sampling.SampleCenteredBinomial2(noise, scratch);
                Ntt.Forward(scratch);
                for (var c = 0; c < N; c++)
                {
                    // The products carry R⁻¹; multiplying by R² mod q (Montgomery) leaves them in the plain domain.
                    var product = FieldArithmetic.MontgomeryMultiply(ti[c], (short)FieldArithmetic.MontgomeryRSquared);
                    ti[c] = (short)(product + scratch[c]);
                }

                PolynomialEncoding.Encode12(ti, encapsulationKey.Slice(i * KemParameters.PolynomialBytes, KemParameters.PolynomialBytes));
                PolynomialEncoding.Encode12(Poly(s, i), decryptionKey.Slice(i * KemParameters.PolynomialBytes, KemParameters.PolynomialBytes));
            }

            rho.CopyTo(encapsulationKey[KemParameters.VectorBytes..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seedInput);
            CryptographicOperations.ZeroMemory(rhoSigma);
            CryptographicOperations.ZeroMemory(noise);
            Zero(s);
            Zero(scratch);
        }
    }

    /// <summary>
    /// K-PKE.Encrypt(ek, m, r) into a 1568-byte ciphertext. ek must have passed the length check;
    /// its coefficients are reduced mod q on decoding, as FIPS 203 specifies.
    /// </summary>
    internal static void Encrypt(ReadOnlySpan<byte> encapsulationKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> coins, Span<byte> ciphertext)
    {
        ReadOnlySpan<byte> rho = encapsulationKey[KemParameters.VectorBytes..];
        Span<byte> noise = stackalloc byte[KemParameters.NoiseBytes];
        Span<short> y = stackalloc short[K * N];
        Span<short> accumulator = stackalloc short[N];
        Span<short> scratch = stackalloc short[N];
        try
        {
            for (var i = 0; i < K; i++)
            {
                KemHashes.Prf(coins, (byte)i, noise);
                Sampling.SampleCenteredBinomial2(noise, Poly(y, i));
                Ntt.Forward(Poly(y, i));
            }

            for (var i = 0; i < K; i++)
            {
                // u[i] = NTT⁻¹(Σ_j Â[j, i] ∘ ŷ[j]) + e1[i]
                accumulator.Clear();
                for (var j = 0; j < K; j++)
                {
                    Sampling.SampleNtt(rho, (byte)i, (byte)j, scratch);
                    Ntt.MultiplyAccumulate(accumulator, scratch, Poly(y, j));
                }

                ReduceAndInvert(accumulator);
                KemHashes.Prf(coins, (byte)(K + i), noise);
                Sampling.SampleCenteredBinomial2(noise, scratch);
                Add(accumulator, scratch);
                PolynomialEncoding.CompressAndEncode(
                    accumulator, KemParameters.Du, ciphertext.Slice(i * N * KemParameters.Du / 8, N * KemParameters.Du / 8));
            }

            // v = NTT⁻¹(t̂ᵀ ∘ ŷ) + e2 + Decompress_1(m)
            accumulator.Clear();
            for (var j = 0; j < K; j++)
            {
                PolynomialEncoding.Decode12(encapsulationKey.Slice(j * KemParameters.PolynomialBytes, KemParameters.PolynomialBytes), scratch);
                Ntt.MultiplyAccumulate(accumulator, scratch, Poly(y, j));
            }

            ReduceAndInvert(accumulator);
            KemHashes.Prf(coins, (byte)(2 * K), noise);
            Sampling.SampleCenteredBinomial2(noise, scratch);
            Add(accumulator, scratch);
            PolynomialEncoding.DecodeAndDecompress(message, 1, scratch);
            Add(accumulator, scratch);
            PolynomialEncoding.CompressAndEncode(accumulator, KemParameters.Dv, ciphertext[KemParameters.CompressedUBytes..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(noise);
            Zero(y);
            Zero(accumulator);
            Zero(scratch);
        }
    }

    /// <summary>K-PKE.Decrypt(dk_PKE, c) into a 32-byte message.</summary>
    internal static void Decrypt(ReadOnlySpan<byte> decryptionKey, ReadOnlySpan<byte> ciphertext, Span<byte> message)
    {
        Span<short> accumulator = stackalloc short[N];
        Span<short> u = stackalloc short[N];
        Span<short> s = stackalloc short[N];
        try
        {
            // w = v′ − NTT⁻¹(ŝᵀ ∘ NTT(u′))
            accumulator.Clear();
            for (var i = 0; i < K; i++)
            {
                PolynomialEncoding.DecodeAndDecompress(
                    ciphertext.Slice(i * N * KemParameters.Du / 8, N * KemParameters.Du / 8), KemParameters.Du, u);
                Ntt.Forward(u);
                PolynomialEncoding.Decode12(decryptionKey.Slice(i * KemParameters.PolynomialBytes, KemParameters.PolynomialBytes), s);
                Ntt.MultiplyAccumulate(accumulator, s, u);
            }

            ReduceAndInvert(accumulator);
            PolynomialEncoding.DecodeAndDecompress(ciphertext[KemParameters.CompressedUBytes..], KemParameters.Dv, u);
            for (var c = 0; c < N; c++)
            {
                u[c] = (short)(u[c] - accumulator[c]);
            }

            PolynomialEncoding.CompressAndEncode(u, 1, message);
        }
        finally
        {
            Zero(accumulator);
            Zero(u);
            Zero(s);
        }
    }

    private static Span<short> Poly(Span<short> vector, int index) => vector.Slice(index * N, N);

    private static void ReduceAndInvert(Span<short> polynomial)
    {
        for (var c = 0; c < N; c++)
        {
            polynomial[c] = FieldArithmetic.BarrettReduce(polynomial[c]);
        }

        Ntt.Inverse(polynomial);
    }

    private static void Add(Span<short> accumulator, ReadOnlySpan<short> term)
    {
        for (var c = 0; c < N; c++)
        {
            accumulator[c] = (short)(accumulator[c] + term[c]);
        }
    }

    private static void Zero(Span<short> values) => CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(values));
}
