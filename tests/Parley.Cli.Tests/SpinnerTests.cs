using Parley.Cli.Console;
using Parley.Testing;

namespace Parley.Cli.Tests;

/// <summary>The progress indicator: drawn at once, redrawn with the elapsed seconds, erased and silent once disposed.</summary>
public sealed class SpinnerTests
{
    [Fact]
    public void It_draws_at_once_then_counts_the_seconds_and_turns()
    {
        var time = new ManualTimeProvider();
        var error = new StringWriter();
        using var spinner = new Spinner(error, "Sending to bob", time);
        Assert.Equal(Spinner.Erase + "⠋ Sending to bob… 0s", error.ToString());

        time.Advance(Spinner.Interval);
        Assert.EndsWith(Spinner.Erase + "⠙ Sending to bob… 0s", error.ToString(), StringComparison.Ordinal);

        time.Advance(TimeSpan.FromSeconds(3) - Spinner.Interval);
        var frames = Frames(error.ToString());
        Assert.Equal(31, frames.Count);
        Assert.Equal("⠋ Sending to bob… 3s", frames[^1]); // frame 31 wraps round to the first glyph
        Assert.Equal(["0s", "1s", "2s", "3s"], frames.Select(f => f[(f.LastIndexOf(' ') + 1)..]).Distinct());
        Assert.All(frames, f => Assert.EndsWith("s", f, StringComparison.Ordinal));
    }

    [Fact]
    public void Disposing_erases_the_line_and_nothing_is_drawn_after()
    {
        var time = new ManualTimeProvider();
        var error = new StringWriter();
        var spinner = new Spinner(error, "Waiting for messages", time);
        time.Advance(TimeSpan.FromSeconds(1));
        spinner.Dispose();
        var after = error.ToString();
        Assert.EndsWith("1s" + Spinner.Erase, after, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromSeconds(5));
        spinner.Dispose();
        Assert.Equal(after, error.ToString());
    }

    private static List<string> Frames(string written) =>
        [.. written.Split(Spinner.Erase, StringSplitOptions.RemoveEmptyEntries)];
}
