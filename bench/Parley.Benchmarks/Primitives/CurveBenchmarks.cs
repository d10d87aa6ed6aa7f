using BenchmarkDotNet.Attributes;
using Parley.Protocol.Keys;

namespace Parley.Benchmarks.Primitives;

/// <summary>Curve25519 through the protocol's key types: X25519 (libsodium) and XEdDSA.</summary>
public class CurveBenchmarks
{
    private EcKeyPair _ours = null!;
    private EcPublicKey _theirs = null!;
    private byte[] _message = null!;
    private byte[] _signature = null!;

    [GlobalSetup]
    public void Setup()
    {
        _ours = EcKeyPair.Generate();
        _theirs = EcKeyPair.Generate().PublicKey;
        // What PQXDH verifies most: a signature over a 33-byte serialized public key (the signed pre-key).
        _message = _theirs.Serialize();
        _signature = _ours.PrivateKey.CalculateSignature(_message);
    }

    /// <summary>Private key from the CSPRNG plus its public key.</summary>
    [Benchmark(Description = "x25519.keygen")]
    public EcPublicKey KeyGeneration() => EcKeyPair.Generate().PublicKey;

    [Benchmark(Description = "x25519.agree")]
    public byte[] Agreement() => _ours.PrivateKey.CalculateAgreement(_theirs);

    /// <summary>The recipient's base-key check in PQXDH (canonical u, prime-order subgroup); libsignal does not expose it.</summary>
    [Benchmark(Description = "x25519.basekey-check")]
    public bool BaseKeyCheck() => _theirs.IsCanonical()
        ? true
        : throw new InvalidOperationException("A generated public key must be canonical.");

    [Benchmark(Description = "xeddsa.sign")]
    public byte[] Sign() => _ours.PrivateKey.CalculateSignature(_message);

    [Benchmark(Description = "xeddsa.verify")]
    public bool Verify() => _ours.PublicKey.VerifySignature(_message, _signature)
        ? true
        : throw new InvalidOperationException("The benchmark signature must verify.");
}
