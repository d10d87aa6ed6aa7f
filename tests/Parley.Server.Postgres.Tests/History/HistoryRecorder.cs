using System.Collections.Concurrent;
using System.Diagnostics;

namespace Parley.Server.Postgres.Tests.History;

/// <summary>A thread-safe, append-only history with timestamps from one monotonic clock.</summary>
internal sealed class HistoryRecorder
{
    private readonly ConcurrentQueue<HistoryEvent> events = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly long[] counts = new long[Enum.GetValues<EventKind>().Length];

    /// <summary>Milliseconds since the recorder started.</summary>
    public long Now => clock.ElapsedMilliseconds;

    public int Count => events.Count;

    public void Add(Func<long, HistoryEvent> make)
    {
        var e = make(Now);
        Interlocked.Increment(ref counts[(int)e.Kind]);
        events.Enqueue(e);
    }

    /// <summary>How many events of <paramref name="kind"/> were recorded so far.</summary>
    public long CountOf(EventKind kind) => Interlocked.Read(ref counts[(int)kind]);

    public IReadOnlyList<HistoryEvent> Snapshot() => [.. events];
}
