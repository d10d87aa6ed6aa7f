using BenchmarkDotNet.Attributes;
using Parley.Benchmarks.Support;
using Parley.Protocol;

namespace Parley.Benchmarks.Sessions;

/// <summary>
/// Double Ratchet encryption within a sending chain: load the session, derive the message keys, AES-256-CBC,
/// HMAC, store the session, serialize the message. The state does not grow (no stored keys on the sending side).
/// </summary>
public class RatchetEncryptBenchmarks
{
    private Conversation _conversation = null!;
    private byte[] _small = [];
    private byte[] _medium = [];
    private byte[] _large = [];

    [GlobalSetup]
    public void Setup()
    {
        _conversation = Conversation.Run();
        _small = Payload.Of(Payload.Small);
        _medium = Payload.Of(Payload.Medium);
        _large = Payload.Of(Payload.Large);
    }

    [Benchmark(Description = "ratchet.encrypt.100B")]
    public async ValueTask<byte[]> EncryptSmall() => await Encrypt(_small).ConfigureAwait(false);

    [Benchmark(Description = "ratchet.encrypt.1KiB")]
    public async ValueTask<byte[]> EncryptMedium() => await Encrypt(_medium).ConfigureAwait(false);

    [Benchmark(Description = "ratchet.encrypt.16KiB")]
    public async ValueTask<byte[]> EncryptLarge() => await Encrypt(_large).ConfigureAwait(false);

    private async ValueTask<byte[]> Encrypt(byte[] plaintext)
    {
        var bob = _conversation.Bob;
        var message = await SessionCipher.EncryptAsync(plaintext, _conversation.Alice.Address, bob.Address, bob.Store, bob.Store).ConfigureAwait(false);
        return message.Serialize();
    }
}
