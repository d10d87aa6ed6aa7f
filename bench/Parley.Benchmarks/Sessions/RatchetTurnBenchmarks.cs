using BenchmarkDotNet.Attributes;
using Parley.Benchmarks.Support;
using Parley.Protocol;
using Parley.Protocol.Messages;

namespace Parley.Benchmarks.Sessions;

/// <summary>
/// A ratchet turn: decrypt a 100-byte message that carries a new ratchet key (two X25519 agreements, a new ratchet key
/// pair, two root-key steps, a new receiving and sending chain). Every invocation gets its own copy of the same
/// session, as in <see cref="RatchetDecryptBenchmarks"/>.
/// </summary>
[InvocationCount(Invocations)]
public class RatchetTurnBenchmarks
{
    private const int Invocations = 1024;
    private const int Pool = Invocations + 8;
    private readonly Cursor _cursor = new(Pool);
    private Conversation _conversation = null!;
    private ProtocolAddress[] _senders = [];

    [GlobalSetup]
    public void Setup()
    {
        _conversation = Conversation.Run();
        _senders = BenchParty.Addresses("alice", Pool);
    }

    [IterationSetup]
    public void Restore()
    {
        _conversation.Bob.ResetStore();
        _conversation.Bob.StoreSessionCopies(_conversation.BeforeTurn, _senders);
        _cursor.Reset();
    }

    [Benchmark(Description = "ratchet.turn")]
    public ValueTask<byte[]> DecryptWithNewRatchetKey()
    {
        var bob = _conversation.Bob;
        return SessionCipher.DecryptSignalMessageAsync(
            SignalMessage.Deserialize(_conversation.TurnMessage.Bytes), _senders[_cursor.Next()], bob.Address, bob.Store, bob.Store);
    }
}
