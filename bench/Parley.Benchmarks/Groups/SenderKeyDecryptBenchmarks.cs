using BenchmarkDotNet.Attributes;
using Parley.Benchmarks.Support;
using Parley.Protocol;
using Parley.Protocol.Groups;
using Parley.Protocol.Messages;
using Parley.Protocol.Records;

namespace Parley.Benchmarks.Groups;

/// <summary>
/// Sender-key decryption of 100 bytes: parse, load, XEdDSA verify, chain step, HKDF, AES-256-CBC, store. Each
/// invocation decrypts the same message against its own copy of the receiver's record (one per sender address).
/// </summary>
[InvocationCount(Invocations)]
public class SenderKeyDecryptBenchmarks
{
    private const int Invocations = 2048;
    private const int Pool = Invocations + 8;
    private static readonly Guid Group = Guid.Parse("a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d");
    private readonly Cursor _cursor = new(Pool);
    private BenchParty _bob = null!;
    private byte[] _record = [];
    private byte[] _message = [];
    private ProtocolAddress[] _senders = [];

    [GlobalSetup]
    public void Setup()
    {
        var alice = new BenchParty("alice");
        _bob = new BenchParty("bob");
        var distribution = BenchParty.Wait(GroupSessionBuilder.CreateDistributionMessageAsync(alice.Address, Group, alice.Store));
        BenchParty.Wait(GroupSessionBuilder.ProcessDistributionMessageAsync(
            alice.Address, SenderKeyDistributionMessage.Deserialize(distribution.Serialize()), _bob.Store));
        _record = (BenchParty.Wait(_bob.Store.LoadSenderKeyAsync(alice.Address, Group, default)) ?? throw new InvalidOperationException("no sender key")).Serialize();
        _message = BenchParty.Wait(GroupCipher.EncryptAsync(alice.Address, Group, Payload.Of(Payload.Small), alice.Store)).Serialize();
        _senders = BenchParty.Addresses("alice", Pool);
    }

    [IterationSetup]
    public void Restore()
    {
        _bob.ResetStore();
        foreach (var sender in _senders)
        {
            BenchParty.Wait(_bob.Store.StoreSenderKeyAsync(sender, Group, SenderKeyRecord.Deserialize(_record), default));
        }

        _cursor.Reset();
    }

    [Benchmark(Description = "group.decrypt.100B")]
    public ValueTask<byte[]> Decrypt() =>
        GroupCipher.DecryptAsync(_senders[_cursor.Next()], SenderKeyMessage.Deserialize(_message), _bob.Store);
}
