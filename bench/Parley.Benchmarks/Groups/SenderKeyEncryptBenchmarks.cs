using BenchmarkDotNet.Attributes;
using Parley.Benchmarks.Support;
using Parley.Protocol.Groups;

namespace Parley.Benchmarks.Groups;

/// <summary>
/// Sender-key encryption of 100 bytes (chain step, HKDF, AES-256-CBC, XEdDSA signature, store), and the distribution
/// message of an existing chain: one store load and no cryptography, so it shows the fixed cost of an async protocol
/// call with a store round trip (for libsignal from Node, mostly the bridge).
/// </summary>
public class SenderKeyEncryptBenchmarks
{
    private static readonly Guid Group = Guid.Parse("a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d");
    private BenchParty _alice = null!;
    private byte[] _plaintext = [];

    [GlobalSetup]
    public void Setup()
    {
        _alice = new BenchParty("alice");
        BenchParty.Wait(GroupSessionBuilder.CreateDistributionMessageAsync(_alice.Address, Group, _alice.Store));
        _plaintext = Payload.Of(Payload.Small);
    }

    [Benchmark(Description = "group.encrypt.100B")]
    public async ValueTask<byte[]> Encrypt()
    {
        var message = await GroupCipher.EncryptAsync(_alice.Address, Group, _plaintext, _alice.Store).ConfigureAwait(false);
        return message.Serialize();
    }

    [Benchmark(Description = "group.distribution")]
    public async ValueTask<byte[]> DistributionMessage()
    {
        var message = await GroupSessionBuilder.CreateDistributionMessageAsync(_alice.Address, Group, _alice.Store).ConfigureAwait(false);
        return message.Serialize();
    }
}
