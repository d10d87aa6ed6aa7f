using Parley.Testing;

namespace Parley.EndToEnd.Tests.Harness;

/// <summary>For <c>[EnvironmentFact(typeof(TmuxRequirement))]</c>: tmux must run here (checked once per process).</summary>
public sealed class TmuxRequirement : ITestRequirement
{
    private static readonly Lazy<string?> Reason = new(() => Tmux.UnavailableReasonAsync().GetAwaiter().GetResult());

    public string? UnavailableReason => Reason.Value;
}

/// <summary>
/// A private tmux server (its own socket file, <c>tmux -S PATH</c>, removed on dispose) whose sessions run commands in real terminals;
/// tests type with <c>send-keys</c> and read the screen with <c>capture-pane</c>. Killed on dispose.
/// </summary>
public sealed class Tmux : IAsyncDisposable
{
    private Tmux(string socket)
    {
        Socket = socket;
    }

    public string Socket { get; }

    /// <summary>Null when tmux works here, else why not.</summary>
    public static async Task<string?> UnavailableReasonAsync()
    {
        var (code, output, error) = await Shell.RunAsync("tmux", "-V").ConfigureAwait(false);
        return code == 0 ? null : $"tmux is not usable here (tmux -V: exit {code}: {error.Trim()}{output.Trim()})";
    }

    public static Tmux Create() => new(Path.Combine(Path.GetTempPath(), "parley-e2e-tmux-" + Guid.NewGuid().ToString("N")[..12]));

    /// <summary>Starts a detached session of 120×30 running <paramref name="command"/> with the given environment.</summary>
    public async Task StartSessionAsync(string name, IReadOnlyList<string> command, IReadOnlyDictionary<string, string> environment)
    {
        List<string> arguments = ["-S", Socket, "new-session", "-d", "-s", name, "-x", "120", "-y", "30"];
        foreach (var (key, value) in environment)
        {
            arguments.Add("-e");
            arguments.Add($"{key}={value}");
        }

        // Keep the pane after the command exits so its last screen can still be captured.
        arguments.Add(string.Join(' ', command.Select(Shell.Quote)) + "; echo \"[exited $?]\"; sleep 600");
        await CheckAsync([.. arguments]).ConfigureAwait(false);
    }

    /// <summary>Types <paramref name="text"/> literally (no Enter).</summary>
    public Task TypeAsync(string session, string text) => CheckAsync("-S", Socket, "send-keys", "-t", session, "-l", text);

    /// <summary>Presses a named key (<c>Enter</c>, <c>BSpace</c>, <c>C-c</c>).</summary>
    public Task PressAsync(string session, string key) => CheckAsync("-S", Socket, "send-keys", "-t", session, key);

    /// <summary>The visible screen of the session's pane, one string per row.</summary>
    public async Task<IReadOnlyList<string>> CaptureAsync(string session)
    {
        var (code, output, error) = await Shell.RunAsync("tmux", "-S", Socket, "capture-pane", "-p", "-t", session).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException($"tmux capture-pane failed: {error}");
        }

        return output.Split('\n');
    }

    /// <summary>Waits until the screen satisfies <paramref name="condition"/>; returns that screen.</summary>
    public async Task<IReadOnlyList<string>> WaitForScreenAsync(string session, Func<IReadOnlyList<string>, bool> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var screen = await CaptureAsync(session).ConfigureAwait(false);
            if (condition(screen))
            {
                return screen;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"tmux {session}: not on screen within {within}: {what}\n--- screen ---\n{string.Join('\n', screen)}");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Shell.RunAsync("tmux", "-S", Socket, "kill-server").ConfigureAwait(false);
        File.Delete(Socket);
    }

    private static async Task CheckAsync(params string[] arguments)
    {
        var (code, output, error) = await Shell.RunAsync("tmux", arguments).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException($"tmux {string.Join(' ', arguments)} failed ({code}): {error}{output}");
        }
    }
}
