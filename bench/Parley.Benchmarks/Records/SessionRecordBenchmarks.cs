using BenchmarkDotNet.Attributes;
using Parley.Benchmarks.Support;
using Parley.Protocol.Records;

namespace Parley.Benchmarks.Records;

/// <summary>
/// Session record (libsignal's storage.proto SessionStructure) to and from bytes: Bob's record at the end of the
/// benchmark conversation (one current state, two receiving chains, no skipped keys).
/// </summary>
public class SessionRecordBenchmarks
{
    private byte[] _bytes = [];
    private SessionRecord _record = null!;

    [GlobalSetup]
    public void Setup()
    {
        _bytes = Conversation.Run().Final;
        _record = SessionRecord.Deserialize(_bytes);
        Console.WriteLine($"// session record: {_bytes.Length} bytes");
    }

    [Benchmark(Description = "record.serialize")]
    public byte[] Serialize() => _record.Serialize();

    [Benchmark(Description = "record.deserialize")]
    public SessionRecord Deserialize() => SessionRecord.Deserialize(_bytes);
}
