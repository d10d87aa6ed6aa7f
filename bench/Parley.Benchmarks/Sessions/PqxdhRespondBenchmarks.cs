using BenchmarkDotNet.Attributes;
using Parley.Benchmarks.Support;
using Parley.Protocol;
using Parley.Protocol.Messages;

namespace Parley.Benchmarks.Sessions;

/// <summary>
/// PQXDH, recipient side: decrypt the first PreKey message of a new session (parse, load the three pre-keys, base-key
/// check, four X25519 agreements, Kyber1024 decapsulation, HKDF, a ratchet step, the message itself) and commit.
/// Each invocation decrypts a different message made against its own one-time pre-keys; [IterationSetup] puts every
/// pre-key back and empties the session store.
/// </summary>
[InvocationCount(Invocations)]
public class PqxdhRespondBenchmarks
{
    private const int Invocations = 256;
    private const int Pool = Invocations + 8;
    private readonly Cursor _cursor = new(Pool);
    private BenchParty _bob = null!;
    private PreKeySet[] _keys = [];
    private byte[][] _messages = [];
    private ProtocolAddress[] _senders = [];

    [GlobalSetup]
    public void Setup()
    {
        var alice = new BenchParty("alice");
        _bob = new BenchParty("bob");
        _keys = [.. Enumerable.Range(1, Pool).Select(id => _bob.CreatePreKeys((uint)id))];
        var bobAddresses = BenchParty.Addresses("bob", Pool);
        _senders = BenchParty.Addresses("alice", Pool);
        _messages = new byte[Pool][];
        for (var i = 0; i < Pool; i++)
        {
            alice.ProcessBundle(_bob.Bundle(_keys[i]), bobAddresses[i]);
            var (type, bytes) = alice.Encrypt(bobAddresses[i], Payload.Small);
            _messages[i] = type == CiphertextMessageType.PreKey ? bytes : throw new InvalidOperationException("expected a PreKey message");
        }
    }

    [IterationSetup]
    public void RestorePreKeys()
    {
        _bob.ResetStore();
        foreach (var keys in _keys)
        {
            _bob.Publish(keys);
        }

        _cursor.Reset();
    }

    [Benchmark(Description = "pqxdh.respond")]
    public ValueTask<byte[]> DecryptFirstMessage()
    {
        var i = _cursor.Next();
        var store = _bob.Store;
        return SessionCipher.DecryptPreKeyMessageAsync(
            PreKeySignalMessage.Deserialize(_messages[i]), _senders[i], _bob.Address, store, store, store, store, store);
    }
}
