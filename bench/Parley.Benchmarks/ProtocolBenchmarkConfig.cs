using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Json;
using Perfolizer.Horology;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Parley.Benchmarks;

/// <summary>
/// One short but repeated job for every suite: 3 warm-up and 15 measured iterations (or <c>iterations</c>) of about
/// 200 ms, in process (with <c>quick</c>: 1 and 3 iterations of 50 ms, to check the pipeline, not to quote).
/// </summary>
/// <remarks>
/// In process because BenchmarkDotNet's generated project would inherit the repository's build rules (central package
/// management, warnings as errors) and because a per-benchmark build would not fit the ten-minute budget of
/// bench/run-protocol.sh. Suites whose operation consumes state set their own invocation count and rebuild the state
/// in [IterationSetup], outside the measurement.
/// </remarks>
public sealed class ProtocolBenchmarkConfig : ManualConfig
{
    public ProtocolBenchmarkConfig(bool quick, int? iterations = null)
    {
        Add(DefaultConfig.Instance);
        AddJob(Job.Default
            .WithId(quick ? "quick" : "protocol")
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(quick ? 1 : 3)
            .WithIterationCount(iterations ?? (quick ? 3 : 15))
            .WithIterationTime(TimeInterval.FromMilliseconds(quick ? 50 : 200)));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max);
        AddExporter(JsonExporter.Full);
        WithOptions(ConfigOptions.JoinSummary);
    }
}
