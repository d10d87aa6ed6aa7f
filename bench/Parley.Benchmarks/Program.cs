using BenchmarkDotNet.Running;
using Parley.Benchmarks;

// Every suite in this assembly. Our own flag: --quick (a pipeline check, not numbers to quote); everything else goes
// to BenchmarkDotNet (e.g. --filter '*Curve*', --artifacts DIR).
var quick = args.Contains("--quick");
var benchmarkArgs = args.Where(arg => arg != "--quick").ToArray();
BenchmarkSwitcher.FromAssembly(typeof(ProtocolBenchmarkConfig).Assembly).Run(benchmarkArgs, new ProtocolBenchmarkConfig(quick));
