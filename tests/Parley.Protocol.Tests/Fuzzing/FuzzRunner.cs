using System.Diagnostics;

namespace Parley.Protocol.Tests.Fuzzing;

/// <summary>
/// Runs a <see cref="FuzzTarget"/> for a number of iterations and measures what TESTPLAN B1 asks for: exception types
/// outside the declared set, the slowest input, and allocation per decode against 4 × input + 64 KiB.
/// </summary>
internal static class FuzzRunner
{
    private const long AllocationSlack = 64 * 1024;
    private const double SlowInputMilliseconds = 100;

    public sealed record Result(
        string Name,
        int Iterations,
        int Accepted,
        Dictionary<string, int> Rejected,
        List<string> Undeclared,
        double SlowestMilliseconds,
        int AllocationViolations,
        double WorstAllocationRatio,
        TimeSpan Elapsed)
    {
        public override string ToString() =>
            $"{Name}: {Iterations:N0} inputs in {Elapsed.TotalSeconds:F1} s, {Accepted:N0} decoded, rejected " +
            $"[{string.Join(", ", Rejected.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value:N0}"))}], " +
            $"undeclared {Undeclared.Count}, slowest {SlowestMilliseconds:F2} ms, worst allocation {WorstAllocationRatio:F2}× (input + 64 KiB budget), " +
            $"allocation violations {AllocationViolations}";
    }

    public static Result Run(FuzzTarget target, int iterations, int seed)
    {
        var mutator = new Mutator(seed, target.PrefixLength, target.SuffixLength);
        var random = new Random(seed ^ 0x5EED);
        var corpus = new List<byte[]>(target.Seeds);
        var rejected = new Dictionary<string, int>();
        var undeclared = new List<string>();
        var accepted = 0;
        var allocationViolations = 0;
        double slowest = 0, worstRatio = 0;
        var clock = Stopwatch.StartNew();

        // Warm up so JIT compilation is not billed to the first inputs.
        foreach (var s in target.Seeds)
        {
            try
            {
                target.Decode(s);
            }
            catch (ProtocolException)
            {
                // Some seeds are deliberately invalid (an ML-KEM key type, a record of another kind).
            }
        }

        for (var i = 0; i < iterations; i++)
        {
            var parent = corpus[random.Next(corpus.Count)];
            var input = mutator.Mutate(parent, target.Seeds);

            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            Exception? failure = null;
            try
            {
                target.Decode(input);
            }
            catch (Exception e)
            {
                failure = e;
            }

            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            if (elapsed > SlowInputMilliseconds)
            {
                // A garbage collection or a busy machine can stall one call; an input only counts as slow if it
                // stays slow when measured again.
                elapsed = Remeasure(target, input, elapsed);
            }

            slowest = Math.Max(slowest, elapsed);
            var budget = (4L * input.Length) + AllocationSlack;
            worstRatio = Math.Max(worstRatio, (double)allocated / budget);
            if (allocated > budget)
            {
                allocationViolations++;
            }

            if (failure is null)
            {
                accepted++;

                // Inputs that decode become parents too, so mutations reach deeper into valid structure.
                if (corpus.Count < 512 && random.Next(8) == 0)
                {
                    corpus.Add(input);
                }
            }
            else if (target.DeclaredExceptions.Contains(failure.GetType()))
            {
                var key = failure.GetType().Name;
                rejected[key] = rejected.GetValueOrDefault(key) + 1;
            }
            else if (undeclared.Count < 10)
            {
                undeclared.Add($"{failure.GetType().Name}: {failure.Message} (input {Convert.ToHexString(input)[..Math.Min(400, input.Length * 2)]})\n{failure.StackTrace}");
            }
        }

        return new Result(target.Name, iterations, accepted, rejected, undeclared, slowest, allocationViolations, worstRatio, clock.Elapsed);
    }

    private static double Remeasure(FuzzTarget target, byte[] input, double first)
    {
        var best = first;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                target.Decode(input);
            }
            catch (Exception)
            {
                // Classified on the first run.
            }

            best = Math.Min(best, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return best;
    }
}
