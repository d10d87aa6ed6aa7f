using Xunit.Abstractions;

namespace Parley.Crypto.Tests.Vectors.Support;

/// <summary>
/// Counts the cases of one vector file: run, passed, skipped (each with its reason) and failed.
/// <see cref="AssertComplete"/> prints the tally and fails unless every case of the file was either run or
/// skipped for a stated reason, and none failed.
/// </summary>
internal sealed class VectorTally(string name, ITestOutputHelper output)
{
    private readonly List<string> failures = [];
    private readonly SortedDictionary<string, int> skips = new(StringComparer.Ordinal);

    public int Run { get; private set; }

    public int Passed { get; private set; }

    public int Skipped => skips.Values.Sum();

    /// <summary>Runs one case; an exception (including a failed assertion) records a failure.</summary>
    public void Check(string caseId, Action test)
    {
        Run++;
        try
        {
            test();
            Passed++;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            failures.Add($"{caseId}: {e.GetType().Name}: {FirstLine(e.Message)}");
        }
    }

    /// <summary>Records <paramref name="count"/> cases as not run, for <paramref name="reason"/>.</summary>
    public void Skip(string reason, int count = 1)
    {
        skips[reason] = skips.GetValueOrDefault(reason) + count;
    }

    /// <summary>Prints the tally; fails on any failure or when run + skipped differs from <paramref name="expectedCases"/>.</summary>
    public void AssertComplete(int expectedCases)
    {
        output.WriteLine($"{name}: {Run} run, {Passed} passed, {failures.Count} failed, {Skipped} skipped (file has {expectedCases})");
        foreach (var (reason, count) in skips)
        {
            output.WriteLine($"  skipped {count}: {reason}");
        }

        foreach (var failure in failures.Take(20))
        {
            output.WriteLine($"  FAILED {failure}");
        }

        Assert.True(failures.Count == 0, $"{name}: {failures.Count} of {Run} cases failed; first: {failures.FirstOrDefault()}");
        Assert.True(Run + Skipped == expectedCases, $"{name}: {Run} run + {Skipped} skipped ≠ {expectedCases} cases in the file.");
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
