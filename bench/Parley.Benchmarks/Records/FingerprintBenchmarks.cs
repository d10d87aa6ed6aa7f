using BenchmarkDotNet.Attributes;
using Parley.Protocol.Fingerprints;
using Parley.Protocol.Keys;

namespace Parley.Benchmarks.Records;

/// <summary>A safety number as Signal clients compute it: version 2, 5200 iterations per side, 16-byte UUIDs.</summary>
public class FingerprintBenchmarks
{
    private readonly byte[] _localId = Guid.Parse("9d0652a3-dcc3-4d11-975f-74d61598733f").ToByteArray(bigEndian: true);
    private readonly byte[] _remoteId = Guid.Parse("796abedb-ca4e-4f18-8803-1fde5b921f9f").ToByteArray(bigEndian: true);
    private IdentityKey _localKey = null!;
    private IdentityKey _remoteKey = null!;

    [GlobalSetup]
    public void Setup()
    {
        _localKey = IdentityKeyPair.Generate().IdentityKey;
        _remoteKey = IdentityKeyPair.Generate().IdentityKey;
    }

    [Benchmark(Description = "fingerprint.5200")]
    public string SafetyNumber() =>
        Fingerprint.Create(Fingerprint.DefaultVersion, Fingerprint.DefaultIterations, _localId, _localKey, _remoteId, _remoteKey).Displayable.Digits60;
}
