using System.Security.Cryptography;

namespace Parley.Protocol.Tests.Support;

/// <summary>A seeded, repeatable byte source (SHA-256 in counter mode) for deterministic protocol runs.</summary>
internal sealed class DeterministicRandom : RandomNumberGenerator
{
    private readonly byte[] _seed;
    private ulong _counter;
    private readonly Lock _gate = new();

    public DeterministicRandom(int seed)
    {
        _seed = BitConverter.GetBytes(seed);
    }

    public override void GetBytes(byte[] data) => GetBytes(data.AsSpan());

    public override void GetBytes(Span<byte> data)
    {
        lock (_gate)
        {
            Span<byte> block = stackalloc byte[32];
            Span<byte> input = stackalloc byte[12];
            var offset = 0;
            while (offset < data.Length)
            {
                _seed.CopyTo(input);
                BitConverter.TryWriteBytes(input[4..], _counter++);
                SHA256.HashData(input, block);
                var n = Math.Min(32, data.Length - offset);
                block[..n].CopyTo(data[offset..]);
                offset += n;
            }
        }
    }

    public override void GetNonZeroBytes(byte[] data) => throw new NotSupportedException();
}
