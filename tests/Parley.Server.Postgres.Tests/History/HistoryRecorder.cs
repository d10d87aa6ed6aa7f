using System.Collections.Concurrent;
using System.Diagnostics;

namespace Parley.Server.Postgres.Tests.History;

/// <summary>A thread-safe, append-only history with timestamps from one monotonic clock.</summary>
internal sealed class HistoryRecorder
{
    private readonly ConcurrentQueue<HistoryEvent> events = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();

    /// <summary>Milliseconds since the recorder started.</summary>
    public long Now => clock.ElapsedMilliseconds;

    public int Count => events.Count;

    public void Add(Func<long, HistoryEvent> make) => events.Enqueue(make(Now));

    public IReadOnlyList<HistoryEvent> Snapshot() => [.. events];
}
