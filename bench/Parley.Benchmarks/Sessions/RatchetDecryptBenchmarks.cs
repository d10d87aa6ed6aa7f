using BenchmarkDotNet.Attributes;
using Parley.Benchmarks.Support;
using Parley.Protocol;
using Parley.Protocol.Messages;

namespace Parley.Benchmarks.Sessions;

/// <summary>
/// Double Ratchet decryption of the next message in a known receiving chain (no DH): parse, load the session, chain
/// step, HMAC check, AES-256-CBC, store. Every invocation decrypts the same message against its own copy of the same
/// session (stored under a different sender address), so each one does exactly the same work.
/// </summary>
[InvocationCount(Invocations)]
public class RatchetDecryptBenchmarks
{
    private const int Invocations = 8192;
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

    [IterationSetup(Target = nameof(DecryptSmall))]
    public void BeforeSmall() => Restore(_conversation.BeforeSmall);

    [IterationSetup(Target = nameof(DecryptMedium))]
    public void BeforeMedium() => Restore(_conversation.BeforeMedium);

    [IterationSetup(Target = nameof(DecryptLarge))]
    public void BeforeLarge() => Restore(_conversation.BeforeLarge);

    [Benchmark(Description = "ratchet.decrypt.100B")]
    public ValueTask<byte[]> DecryptSmall() => Decrypt(_conversation.SmallMessage.Bytes);

    [Benchmark(Description = "ratchet.decrypt.1KiB")]
    public ValueTask<byte[]> DecryptMedium() => Decrypt(_conversation.MediumMessage.Bytes);

    [Benchmark(Description = "ratchet.decrypt.16KiB")]
    public ValueTask<byte[]> DecryptLarge() => Decrypt(_conversation.LargeMessage.Bytes);

    private void Restore(byte[] session)
    {
        _conversation.Bob.ResetStore();
        _conversation.Bob.StoreSessionCopies(session, _senders);
        _cursor.Reset();
    }

    private ValueTask<byte[]> Decrypt(byte[] message)
    {
        var bob = _conversation.Bob;
        return SessionCipher.DecryptSignalMessageAsync(SignalMessage.Deserialize(message), _senders[_cursor.Next()], bob.Address, bob.Store, bob.Store);
    }
}
