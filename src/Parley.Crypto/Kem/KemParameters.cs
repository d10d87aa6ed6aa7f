namespace Parley.Crypto.Kem;

/// <summary>
/// The ML-KEM-1024 parameter set (FIPS 203 §8, Table 2), which is also Kyber1024 round 3:
/// k = 4, η1 = η2 = 2, du = 11, dv = 5, over Z_q[X]/(X^256 + 1) with q = 3329.
/// </summary>
internal static class KemParameters
{
    /// <summary>Coefficients per polynomial.</summary>
    internal const int N = 256;

    /// <summary>The prime modulus q.</summary>
    internal const short Q = 3329;

    /// <summary>Module rank k (polynomials per vector).</summary>
    internal const int K = 4;

    /// <summary>Bits per compressed coefficient of u.</summary>
    internal const int Du = 11;

    /// <summary>Bits per compressed coefficient of v.</summary>
    internal const int Dv = 5;

    /// <summary>ByteEncode12 of one polynomial.</summary>
    internal const int PolynomialBytes = 384;

    /// <summary>Seeds, hashes, messages and shared secrets.</summary>
    internal const int SymmetricBytes = 32;

    /// <summary>PRF output for η = 2: 64·η bytes.</summary>
    internal const int NoiseBytes = 128;

    internal const int VectorBytes = K * PolynomialBytes;                       // 1536
    internal const int EncapsulationKeyBytes = VectorBytes + SymmetricBytes;    // 1568
    internal const int DecapsulationKeyBytes = VectorBytes + EncapsulationKeyBytes + 2 * SymmetricBytes; // 3168
    internal const int CompressedUBytes = K * N * Du / 8;                       // 1408
    internal const int CompressedVBytes = N * Dv / 8;                           // 160
    internal const int CiphertextBytes = CompressedUBytes + CompressedVBytes;   // 1568

    // Layout of a decapsulation key: dk_PKE ‖ ek ‖ H(ek) ‖ z (FIPS 203 Algorithm 16).
    internal const int DkEncapsulationKeyOffset = VectorBytes;
    internal const int DkHashOffset = DkEncapsulationKeyOffset + EncapsulationKeyBytes;
    internal const int DkRejectionSeedOffset = DkHashOffset + SymmetricBytes;
}
