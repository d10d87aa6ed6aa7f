using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Parley.LoadGenerator;

/// <summary>
/// <c>--mode idle</c>: the relay's resident memory per idle connection. Opens a few connections first (so that
/// the relay's code paths are compiled and its pools exist before the baseline), reads the relay's memory, then
/// opens connections up to each step, waits until all are open and idle, and reads it again. Nothing is forced
/// on the relay (no GC): the figure is what the process holds.
/// </summary>
internal static class IdleRun
{
    public static async Task<int> RunAsync(LoadOptions options, IReadOnlyList<LoadClient> clients)
    {
        if (options.Pids.Count != 1)
        {
            await Console.Error.WriteLineAsync("parley-loadgen: --mode idle needs exactly one --pid (the relay process)");
            return 2;
        }

        var pid = options.Pids[0];
        using var stop = new CancellationTokenSource();
        var baseline = Math.Max(1, Math.Min(100, options.Steps[0] / 10));
        await OpenAsync(clients, 0, baseline, options.Parallel, stop.Token);
        await Task.Delay(options.Settle);
        var before = ProcessMemory.Read(pid);
        var (previousCount, previous) = (baseline, before);

        foreach (var step in options.Steps.Where(s => s > baseline).Order())
        {
            var started = Stopwatch.GetTimestamp();
            await OpenAsync(clients, previousCount, step, options.Parallel, stop.Token);
            var openSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            await Task.Delay(options.Settle);
            var now = ProcessMemory.Read(pid);
            var open = clients.Take(step).Count(c => !c.Receiving.IsCompleted);
            var added = now - before;
            var result = new JsonObject
            {
                ["label"] = options.Label,
                ["mode"] = "idle",
                ["target"] = options.Target.ToString().ToLowerInvariant(),
                ["connections"] = step,
                ["open"] = open,
                ["baselineConnections"] = baseline,
                ["openSeconds"] = Math.Round(openSeconds, 1),
                ["rssBeforeBytes"] = before.RssBytes,
                ["rssBytes"] = now.RssBytes,
                ["rssAnonBytes"] = now.RssAnonBytes,
                ["bytesPerConnection"] = added.RssBytes / (step - baseline),
                ["anonBytesPerConnection"] = added.RssAnonBytes / (step - baseline),
                ["marginalBytesPerConnection"] = (now - previous).RssBytes / (step - previousCount),
            };
            Console.WriteLine(options.Json
                ? result.ToJsonString()
                : $"{options.Label}: {open}/{step} idle connections open (in {openSeconds:F1} s), relay RSS {before.RssBytes >> 20} → {now.RssBytes >> 20} MiB: "
                  + $"{added.RssBytes / (step - baseline)} bytes per connection ({added.RssAnonBytes / (step - baseline)} anonymous), "
                  + $"{(now - previous).RssBytes / (step - previousCount)} per connection since the previous step");
            (previousCount, previous) = (step, now);
        }

        await stop.CancelAsync();
        return 0;
    }

    private static Task OpenAsync(IReadOnlyList<LoadClient> clients, int from, int to, int parallel, CancellationToken stop) =>
        Parallel.ForEachAsync(
            clients.Skip(from).Take(to - from),
            new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = stop },
            async (client, _) => await client.ConnectAsync(stop));
}
