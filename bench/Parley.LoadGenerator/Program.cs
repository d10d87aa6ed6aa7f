using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Parley.LoadGenerator;

var options = LoadOptions.Parse(args, Console.Error);
if (options is null)
{
    return 2;
}

var accounts = options.Target == LoadTarget.Parley ? await Accounts.ProvideAsync(options) : null;
if (options.Mode == LoadMode.Register)
{
    await Console.Error.WriteLineAsync($"parley-loadgen: {accounts!.Count} accounts in {options.AccountsFile}");
    return 0;
}

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
{
    Timeout = TimeSpan.FromSeconds(30),
};
var recorder = new Recorder();
var inFlight = new InFlight(options.Clients * options.Concurrency);
var barePrefix = "b" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
var clients = Enumerable.Range(0, options.Clients)
    .Select(i => (LoadClient)(accounts is null
        ? new BareClient(i, recorder, inFlight, http, options.Urls[i % options.Urls.Count], $"{barePrefix}_{i}", options.SendOverWebSocket)
        : new ParleyClient(i, recorder, inFlight, http, options.Urls[i % options.Urls.Count], accounts[i])))
    .ToList();

if (options.Mode == LoadMode.Idle)
{
    return await IdleRun.RunAsync(options, clients);
}

using var stop = new CancellationTokenSource();
await Parallel.ForEachAsync(clients, new ParallelOptions { MaxDegreeOfParallelism = options.Parallel }, async (client, _) => await client.ConnectAsync(stop.Token));

var slots = options.Clients * options.Concurrency;
TimeSpan? interval = options.Rate > 0 ? TimeSpan.FromSeconds(slots / options.Rate) : null;
var senders = clients
    .SelectMany(c => Enumerable.Range(0, options.Concurrency).Select(k =>
        Task.Run(() => c.SendLoopAsync(clients, (c.Index * options.Concurrency) + k, options.Size, interval, options.UntilDelivered, stop.Token))))
    .ToList();

await Task.Delay(options.Warmup);
var start = Stopwatch.GetTimestamp();
recorder.Open(start, start + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency));
var relayBefore = options.Pids.Select(CpuSampler.Seconds).ToArray();
var namedBefore = options.CpuComm is { } comm ? CpuSampler.SecondsByName(comm) : [];
var selfBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

await Task.Delay(options.Duration);

var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
var relaySeconds = options.Pids.Select((pid, i) => CpuSampler.Seconds(pid) - relayBefore[i]).ToArray();
var relayCpu = relaySeconds.Select(s => s / elapsed * 100).ToArray();
var namedCpu = options.CpuComm is { } name ? CpuSampler.Between(namedBefore, CpuSampler.SecondsByName(name)) / elapsed * 100 : double.NaN;
var selfCpu = (Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - selfBefore) / elapsed * 100;

// Let in-flight messages land (they count only when received inside the window), then stop.
await Task.Delay(TimeSpan.FromSeconds(2));
await stop.CancelAsync();
await Task.WhenAll(senders);
await Task.WhenAll(clients.Select(c => c.Receiving));

var (sent, failed, lost, delivered, p50, p99, max) = recorder.Summary();
var window = options.Duration.TotalSeconds;

// Relay CPU per delivered message: all relay processes' CPU time in the window over the messages delivered in it.
var cpuPerMessageUs = delivered == 0 ? double.NaN : relaySeconds.Sum() / delivered * 1e6;
var result = new JsonObject
{
    ["label"] = options.Label,
    ["mode"] = "load",
    ["target"] = options.Target.ToString().ToLowerInvariant(),
    ["send"] = options.SendOverWebSocket ? "ws" : "http",
    ["until"] = options.UntilDelivered ? "delivered" : "answered",
    ["nodes"] = options.Urls.Count,
    ["clients"] = options.Clients,
    ["concurrency"] = options.Concurrency,
    ["targetRate"] = options.Rate,
    ["size"] = options.Size,
    ["seconds"] = window,
    ["acknowledgedPerSecond"] = Math.Round(sent / window, 1),
    ["deliveredPerSecond"] = Math.Round(delivered / window, 1),
    ["failed"] = failed,
    ["lost"] = lost,
    ["p50Ms"] = Math.Round(p50, 2),
    ["p99Ms"] = Math.Round(p99, 2),
    ["maxMs"] = Math.Round(max, 2),
    ["relayCpuPercent"] = new JsonArray([.. relayCpu.Select(c => (JsonNode?)Math.Round(c, 1))]),
    ["relayCpuUsPerMessage"] = double.IsNaN(cpuPerMessageUs) ? null : Math.Round(cpuPerMessageUs, 1),
    ["namedCpuPercent"] = double.IsNaN(namedCpu) ? null : Math.Round(namedCpu, 1),
    ["loadGeneratorCpuPercent"] = Math.Round(selfCpu, 1),
};

if (options.Json)
{
    Console.WriteLine(result.ToJsonString());
}
else
{
    var cpu = string.Join(" + ", relayCpu.Select(c => c.ToString("F0", CultureInfo.InvariantCulture) + "%"));
    var named = double.IsNaN(namedCpu) ? "" : string.Create(CultureInfo.InvariantCulture, $", {options.CpuComm} CPU {namedCpu:F0}%");
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"{options.Label}: delivered {delivered / window:F0} msg/s (acknowledged {sent / window:F0}/s, {failed} failed, {lost} lost), latency p50 {p50:F1} ms p99 {p99:F1} ms max {max:F1} ms, relay CPU {cpu} ({cpuPerMessageUs:F0} µs/msg){named}, load generator CPU {selfCpu:F0}%"));
}

return failed > 0 && delivered == 0 ? 1 : 0;
