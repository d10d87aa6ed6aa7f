using Xunit.Abstractions;

namespace Parley.Protocol.Tests.Fuzzing;

/// <summary>
/// TESTPLAN B1: in-process structure-aware mutation fuzzing of every decoder. Each run must see only declared
/// exception types, no input slower than 100 ms, and at most 4 × input + 64 KiB allocated per decode.
/// <c>PARLEY_FUZZ_ITERATIONS</c> overrides the per-decoder count (the long runs of B2 use it). A slow input is
/// measured again and counts only if it stays over the limit, so a garbage collection or a busy machine does not fail
/// the run.
/// </summary>
public sealed class DecoderFuzzTests(ITestOutputHelper output)
{
    public static TheoryData<string, int> Decoders => new()
    {
        { "SignalMessage", 1_000_000 },
        { "PreKeySignalMessage", 1_000_000 },
        { "SenderKeyMessage", 1_000_000 },
        { "SenderKeyDistributionMessage", 1_000_000 },
        { "EcPublicKey", 1_000_000 },
        { "KemPublicKey", 1_000_000 },
        { "KemSecretKey", 1_000_000 }, // each decode hashes the 1568-byte key to check H(ek): the slowest targets, still seconds
        { "SessionRecord", 1_000_000 },
        { "SenderKeyRecord", 1_000_000 },
        { "PreKeyRecord", 1_000_000 },
        { "SignedPreKeyRecord", 1_000_000 },
        { "KyberPreKeyRecord", 1_000_000 }, // 4.7 kB inputs with both KEM key checks
        { "IdentityKeyPair", 1_000_000 },
    };

    [Theory]
    [MemberData(nameof(Decoders))]
    public async Task Decoder_survives_mutated_input(string decoder, int iterations)
    {
        var overridden = Environment.GetEnvironmentVariable("PARLEY_FUZZ_ITERATIONS");
        if (int.TryParse(overridden, System.Globalization.CultureInfo.InvariantCulture, out var count) && count > 0)
        {
            iterations = count;
        }

        var target = await FuzzTargets.GetAsync(decoder);
        var result = FuzzRunner.Run(target, iterations, seed: decoder.GetHashCode(StringComparison.Ordinal) ^ 20261122);
        output.WriteLine(result.ToString());
        Assert.True(result.Undeclared.Count == 0, "Undeclared exceptions:\n" + string.Join("\n\n", result.Undeclared));
        Assert.True(result.SlowestMilliseconds < 100, $"slowest input took {result.SlowestMilliseconds:F1} ms");
        Assert.Equal(0, result.AllocationViolations);
        Assert.True(result.Accepted > 0 && result.Rejected.Count > 0, "the mutator must produce both valid and invalid inputs");
    }
}
