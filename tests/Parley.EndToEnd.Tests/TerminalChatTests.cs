using Parley.EndToEnd.Tests.Harness;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// The terminal chat in real terminals (tmux): a message typed in one pane appears in the other above that
/// user's half-typed line, which stays intact and is then sent. Reported skipped, with the reason, without tmux.
/// </summary>
public sealed class TerminalChatTests(ITestOutputHelper output)
{
    [EnvironmentFact(typeof(TmuxRequirement))]
    public async Task A_message_appears_above_the_other_users_half_typed_line_which_stays_intact()
    {
        using var root = new TemporaryDirectory("tmux");
        await using var relay = await RelayProcess.StartAsync(root.Sub("relay"));
        var alice = await UserProfile.CreateAsync(root.Path, "alice", relay.Url);
        var bob = await UserProfile.CreateAsync(root.Path, "bob", relay.Url);

        await using var tmux = Tmux.Create();
        foreach (var (session, profile, peer) in new[] { ("A", alice, "bob"), ("B", bob, "alice") })
        {
            await tmux.StartSessionAsync(
                session,
                [ParleyExecutable.Host, ParleyExecutable.Dll, "chat", peer],
                new Dictionary<string, string> { ["PARLEY_HOME"] = profile.Directory, ["PARLEY_PASSPHRASE"] = profile.Passphrase, ["TERM"] = "xterm-256color" });
        }

        foreach (var session in new[] { "A", "B" })
        {
            await tmux.WaitForScreenAsync(session, s => s.Any(l => l.Contains("online at", StringComparison.Ordinal)), TimeSpan.FromSeconds(60), $"{session} online");
        }

        await tmux.TypeAsync("B", "half-typed by bob");
        await tmux.WaitForScreenAsync("B", s => s.Any(l => l.StartsWith("> half-typed by bob", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "bob's partial input");

        await tmux.TypeAsync("A", "hello from alice ✓");
        await tmux.PressAsync("A", "Enter");

        var screen = await tmux.WaitForScreenAsync(
            "B", s => s.Any(l => l.Contains("alice: hello from alice ✓", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "alice's message on bob's screen");
        var rows = screen.Select(l => l.TrimEnd()).ToList();
        var messageRow = rows.FindIndex(l => l.Contains("alice: hello from alice ✓", StringComparison.Ordinal));
        var inputRow = rows.FindLastIndex(l => l.Length > 0);
        output.WriteLine("bob's screen:\n" + string.Join('\n', rows.Where(r => r.Length > 0)));
        Assert.True(messageRow < inputRow, "the message must appear above the input line");
        Assert.Equal("> half-typed by bob", rows[inputRow]);

        await tmux.TypeAsync("B", " and finished");
        await tmux.PressAsync("B", "Enter");
        await tmux.WaitForScreenAsync(
            "A", s => s.Any(l => l.Contains("bob: half-typed by bob and finished", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "bob's finished line at alice");
        await tmux.WaitForScreenAsync(
            "B", s => s.Any(l => l.Contains("bob: half-typed by bob and finished", StringComparison.Ordinal) && l.Contains("[sent]", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "bob's line marked sent");

        await tmux.TypeAsync("A", "/quit");
        await tmux.PressAsync("A", "Enter");
        await tmux.WaitForScreenAsync("A", s => s.Any(l => l.Contains("[exited 0]", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "alice's chat exits 0 on /quit");
    }
}
