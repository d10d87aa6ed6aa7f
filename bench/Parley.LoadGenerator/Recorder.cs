using System.Diagnostics;

namespace Parley.LoadGenerator;

/// <summary>Counts and latencies inside the measured window only (warm-up and drain-out are left out).</summary>
internal sealed class Recorder
{
    private readonly Lock gate = new();
    private readonly List<double> latenciesMs = [];
    private long windowStart = long.MaxValue;
    private long windowEnd = long.MaxValue;
    private long sent;
    private long failed;
    private long delivered;
    private long lost;

    public void Open(long start, long end)
    {
        Volatile.Write(ref windowEnd, end);
        Volatile.Write(ref windowStart, start);
    }

    public void Sent()
    {
        if (InWindow(Stopwatch.GetTimestamp()))
        {
            Interlocked.Increment(ref sent);
        }
    }

    public void Failed()
    {
        if (InWindow(Stopwatch.GetTimestamp()))
        {
            Interlocked.Increment(ref failed);
        }
    }

    /// <summary>A send the relay took whose message did not arrive in time.</summary>
    public void Lost()
    {
        if (InWindow(Stopwatch.GetTimestamp()))
        {
            Interlocked.Increment(ref lost);
        }
    }

    public void Delivered(long sentAt, long receivedAt)
    {
        if (!InWindow(receivedAt))
        {
            return;
        }

        Interlocked.Increment(ref delivered);
        var ms = Stopwatch.GetElapsedTime(sentAt, receivedAt).TotalMilliseconds;
        lock (gate)
        {
            latenciesMs.Add(ms);
        }
    }

    public (long Sent, long Failed, long Lost, long Delivered, double P50, double P99, double Max) Summary()
    {
        lock (gate)
        {
            var sorted = latenciesMs.Order().ToArray();
            return (Interlocked.Read(ref sent), Interlocked.Read(ref failed), Interlocked.Read(ref lost), Interlocked.Read(ref delivered),
                Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted.Length == 0 ? double.NaN : sorted[^1]);
        }
    }

    private bool InWindow(long at) => at >= Volatile.Read(ref windowStart) && at < Volatile.Read(ref windowEnd);

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
