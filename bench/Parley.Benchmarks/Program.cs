using System.Globalization;
using BenchmarkDotNet.Running;
using Parley.Benchmarks;

// Every suite in this assembly. Our own flags: --quick (a pipeline check, not numbers to quote) and --iterations N
// (measured iterations per benchmark, default 15; bench/run-protocol.sh splits them over alternating rounds).
// Everything else goes to BenchmarkDotNet (e.g. --filter '*Curve*', --artifacts DIR).
var quick = false;
int? iterations = null;
var benchmarkArgs = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--quick")
    {
        quick = true;
    }
    else if (args[i] == "--iterations" && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var count) && count > 0)
    {
        iterations = count;
        i++;
    }
    else
    {
        benchmarkArgs.Add(args[i]);
    }
}

BenchmarkSwitcher.FromAssembly(typeof(ProtocolBenchmarkConfig).Assembly)
    .Run([.. benchmarkArgs], new ProtocolBenchmarkConfig(quick, iterations));
