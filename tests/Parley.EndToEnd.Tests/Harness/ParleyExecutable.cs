using Parley.Testing.Interop;

namespace Parley.EndToEnd.Tests.Harness;

/// <summary>
/// The built parley.dll and the dotnet host that runs it (found the way the interop tests find it), so every
/// test starts the real CLI as a separate process. Optionally behind a prefix such as <c>ip netns exec NS</c>.
/// </summary>
public static class ParleyExecutable
{
    private static readonly Lazy<(string Host, string Dll)> Located = new(() =>
    {
        var command = Drivers.ParleyCommand();
        return (command.FileName, command.Arguments[0]);
    });

    public static string Host => Located.Value.Host;

    public static string Dll => Located.Value.Dll;

    /// <summary>Starts <c>parley ARGS</c> (behind <paramref name="prefix"/> when given).</summary>
    public static CliProcess Start(string label, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, IReadOnlyList<string>? prefix = null)
    {
        if (prefix is { Count: > 0 })
        {
            // `ip netns exec NS env VAR=… dotnet parley.dll …`: ip execs the command, so the pid is the CLI's.
            var environmentWords = (environment ?? new Dictionary<string, string?>())
                .Where(e => e.Value is not null)
                .Select(e => $"{e.Key}={e.Value}");
            return CliProcess.Start(label, prefix[0], [.. prefix.Skip(1), "env", .. environmentWords, Host, Dll, .. arguments], environment);
        }

        return CliProcess.Start(label, Host, [Dll, .. arguments], environment);
    }

    /// <summary>Runs <c>parley ARGS</c> to completion with optional stdin text; returns exit code and output.</summary>
    public static async Task<CliResult> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? input = null, TimeSpan? within = null, IReadOnlyList<string>? prefix = null)
    {
        var words = arguments.ToList();
        await using var process = Start("parley " + string.Join(' ', words.Take(3)), words, environment, prefix);
        if (input is not null)
        {
            await process.WriteLineAsync(input).ConfigureAwait(false);
        }

        process.CloseInput();
        var exitCode = await process.WaitForExitAsync(within ?? TimeSpan.FromSeconds(90)).ConfigureAwait(false);
        return new CliResult(exitCode, process.StandardOutput, process.StandardError, process.Transcript);
    }
}

/// <summary>What a finished CLI run printed and returned.</summary>
public sealed record CliResult(int ExitCode, IReadOnlyList<string> Output, IReadOnlyList<string> Error, string Transcript)
{
    public string ErrorText => string.Join('\n', Error);

    public string OutputText => string.Join('\n', Output);

    public override string ToString() => $"exit {ExitCode}\n{Transcript}";
}
