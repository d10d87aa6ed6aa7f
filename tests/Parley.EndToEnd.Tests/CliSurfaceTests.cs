using Parley.EndToEnd.Tests.Harness;

namespace Parley.EndToEnd.Tests;

/// <summary>The command line surface: help with examples everywhere, usage errors with their exit code, one-line errors.</summary>
public sealed class CliSurfaceTests
{
    public static TheoryData<string> Verbs => ["server", "init", "send", "receive", "chat", "show", "verify", "contacts", "peer", "interop", "unregister"];

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Every_verb_has_help_with_examples_that_exits_0(string verb)
    {
        var result = await ParleyExecutable.RunAsync([verb, "--help"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Usage: parley " + verb, result.OutputText, StringComparison.Ordinal);
        var examples = result.Output.ToList().FindIndex(l => l.TrimEnd() == "Examples:");
        Assert.True(examples >= 0, $"parley {verb} --help has no Examples: section:\n{result.OutputText}");
        Assert.Matches("^  (?=\\S).*parley", result.Output[examples + 1]);
    }

    [Fact]
    public async Task Unknown_verb_is_a_usage_error_on_one_line()
    {
        var result = await ParleyExecutable.RunAsync(["frobnicate"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Error);
        Assert.Contains("unknown verb 'frobnicate'", result.ErrorText, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }
}
