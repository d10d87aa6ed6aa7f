using BenchmarkDotNet.Attributes;
using Parley.Benchmarks.Support;
using Parley.Protocol;

namespace Parley.Benchmarks.Sessions;

/// <summary>
/// PQXDH, initiator side: process a pre-key bundle (two XEdDSA verifies, a base key, four X25519 agreements, Kyber1024
/// encapsulation, HKDF, the first sending ratchet key) and store the new session. Each invocation starts a session
/// with a different address in fresh stores, so no invocation archives an earlier session.
/// </summary>
[InvocationCount(Invocations)]
public class PqxdhInitiateBenchmarks
{
    private const int Invocations = 256;
    private readonly Cursor _cursor = new(Invocations + 8);
    private BenchParty _alice = null!;
    private PreKeyBundle _bundle = null!;
    private ProtocolAddress[] _targets = [];

    [GlobalSetup]
    public void Setup()
    {
        _alice = new BenchParty("alice");
        _bundle = new BenchParty("bob").PublishBundle(1);
        _targets = BenchParty.Addresses("bob", Invocations + 8);
    }

    [IterationSetup]
    public void FreshStores()
    {
        _alice.ResetStore();
        _cursor.Reset();
    }

    [Benchmark(Description = "pqxdh.initiate")]
    public ValueTask ProcessBundle() =>
        SessionBuilder.ProcessPreKeyBundleAsync(_bundle, _targets[_cursor.Next()], _alice.Store, _alice.Store);
}
