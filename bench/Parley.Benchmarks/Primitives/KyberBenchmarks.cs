using BenchmarkDotNet.Attributes;
using Parley.Crypto.Kem;

namespace Parley.Benchmarks.Primitives;

/// <summary>Kyber1024 (round 3, libsignal's KEM type 0x08): Parley's managed implementation.</summary>
public class KyberBenchmarks
{
    private Parley.Crypto.Kem.KemKeyPair _pair = null!;
    private byte[] _ciphertext = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pair = Kem1024.GenerateKeyPair(KemVariant.Kyber1024);
        _ciphertext = Kem1024.Encapsulate(KemVariant.Kyber1024, _pair.PublicKey).Ciphertext;
    }

    /// <summary>Through the protocol key type, as a pre-key is made (libsignal: KEMKeyPair.generate).</summary>
    [Benchmark(Description = "kyber.keygen")]
    public Parley.Protocol.Keys.KemKeyPair KeyGeneration() => Parley.Protocol.Keys.KemKeyPair.Generate();

    [Benchmark(Description = "kyber.encaps")]
    public byte[] Encapsulate() => Kem1024.Encapsulate(KemVariant.Kyber1024, _pair.PublicKey).SharedSecret;

    [Benchmark(Description = "kyber.decaps")]
    public byte[] Decapsulate() => Kem1024.Decapsulate(KemVariant.Kyber1024, _pair.SecretKey, _ciphertext);
}
