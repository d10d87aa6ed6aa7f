using System.Text.RegularExpressions;
using Parley.EndToEnd.Tests.Harness;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// The progress indicator of slow steps (docs/cli.md, output rules): on a terminal's stderr a spinner with the
/// elapsed seconds, erased when the step ends; never in a pipe.
/// </summary>
public sealed partial class ProgressIndicatorTests(ITestOutputHelper output)
{
    [EnvironmentFact(typeof(TmuxRequirement))]
    public async Task On_a_terminal_receive_wait_shows_a_spinner_counting_seconds_that_is_erased_when_the_message_arrives()
    {
        using var root = new TemporaryDirectory("spinner");
        await using var relay = await RelayProcess.StartAsync(root.Sub("relay"));
        var alice = await UserProfile.CreateAsync(root.Path, "alice", relay.Url);
        var bob = await UserProfile.CreateAsync(root.Path, "bob", relay.Url);

        await using var tmux = Tmux.Create();
        await tmux.StartSessionAsync(
            "B",
            [ParleyExecutable.Host, ParleyExecutable.Dll, "receive", "--wait", "120"],
            new Dictionary<string, string> { ["PARLEY_HOME"] = bob.Directory, ["PARLEY_PASSPHRASE"] = bob.Passphrase, ["TERM"] = "xterm-256color" });

        // The seconds count up while it waits: wait for a frame that shows at least 1 s.
        var waiting = await tmux.WaitForScreenAsync(
            "B", s => s.Any(l => Spinning().Match(l) is { Success: true } m && int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 1),
            TimeSpan.FromSeconds(60), "the spinner at 1 s or more");
        output.WriteLine("spinner: " + waiting.First(l => Spinning().IsMatch(l)).Trim());

        await alice.SendAsync("bob", "ends the wait ✓");
        var done = await tmux.WaitForScreenAsync("B", s => s.Any(l => l.Contains("[exited 0]", StringComparison.Ordinal)), TimeSpan.FromSeconds(60), "receive exits 0");
        var rows = done.Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        output.WriteLine("bob's screen:\n" + string.Join('\n', rows));
        Assert.Contains(rows, l => l.EndsWith("alice: ends the wait ✓", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, l => l.Contains("Waiting for messages", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, l => Frame().IsMatch(l));
    }

    [Fact]
    public async Task With_stderr_in_a_pipe_there_is_no_spinner()
    {
        using var root = new TemporaryDirectory("no-spinner");
        await using var relay = await RelayProcess.StartAsync(root.Sub("relay"));
        var bob = await UserProfile.CreateAsync(root.Path, "bob", relay.Url);
        var result = await bob.RunAsync(["receive", "--wait", "1"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("no messages", result.ErrorText, StringComparison.Ordinal);
        Assert.DoesNotContain("Waiting for messages", result.ErrorText, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", result.Transcript, StringComparison.Ordinal);
        Assert.DoesNotMatch(Frame(), result.Transcript);
    }

    [GeneratedRegex("[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Waiting for messages… ([0-9]+)s")]
    private static partial Regex Spinning();

    [GeneratedRegex("[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]")]
    private static partial Regex Frame();
}
