using System.Diagnostics;
using System.Text;

namespace Parley.EndToEnd.Tests.Harness;

/// <summary>
/// A child process whose stdout and stderr are collected line by line and can be awaited for a condition
/// (never slept on). Killed with its whole tree when disposed. Its transcript goes into failure messages.
/// </summary>
public sealed class CliProcess : IAsyncDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _disposed;

    private CliProcess(string label, Process process)
    {
        Label = label;
        _process = process;
        _process.OutputDataReceived += (_, e) => Collect(_stdout, e.Data, _stdoutClosed);
        _process.ErrorDataReceived += (_, e) => Collect(_stderr, e.Data, _stderrClosed);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Label { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public IReadOnlyList<string> StandardOutput
    {
        get
        {
            lock (_gate)
            {
                return [.. _stdout];
            }
        }
    }

    public IReadOnlyList<string> StandardError
    {
        get
        {
            lock (_gate)
            {
                return [.. _stderr];
            }
        }
    }

    /// <summary>Both streams, for failure messages.</summary>
    public string Transcript
    {
        get
        {
            lock (_gate)
            {
                return $"--- {Label} stdout ---\n{string.Join('\n', _stdout.TakeLast(80))}\n--- {Label} stderr ---\n{string.Join('\n', _stderr.TakeLast(80))}";
            }
        }
    }

    public static CliProcess Start(string label, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // The child must not inherit the test runner's passphrase or profile by accident.
        info.Environment.Remove("PARLEY_PASSPHRASE");
        info.Environment.Remove("PARLEY_HOME");
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        return new CliProcess(label, process);
    }

    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteAsync(line + "\n").ConfigureAwait(false);
        await _process.StandardInput.FlushAsync().ConfigureAwait(false);
    }

    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Waits until a stdout line satisfies <paramref name="match"/>; returns it.</summary>
    public Task<string> WaitForOutputAsync(Func<string, bool> match, TimeSpan within, string what) =>
        WaitForLineAsync(_stdout, match, within, what);

    /// <summary>Waits until a stderr line satisfies <paramref name="match"/>; returns it.</summary>
    public Task<string> WaitForErrorAsync(Func<string, bool> match, TimeSpan within, string what) =>
        WaitForLineAsync(_stderr, match, within, what);

    /// <summary>Waits until stdout holds at least <paramref name="count"/> lines satisfying <paramref name="match"/>.</summary>
    public async Task<IReadOnlyList<string>> WaitForOutputCountAsync(Func<string, bool> match, int count, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var lines = _stdout.Where(match).ToList();
                if (lines.Count >= count)
                {
                    return lines;
                }

                changed = _changed.Task;
            }

            await WaitForChangeAsync(changed, deadline, $"{count} × {what}").ConfigureAwait(false);
        }
    }

    /// <summary>Waits for the process to end by itself; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Label} did not exit within {within}.\n{Transcript}");
        }

        // The stream readers finish shortly after the exit; wait so no line is missed.
        await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL to the process and its children (<c>kill -9</c>).</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await KillAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }

        _process.Dispose();
    }

    private async Task<string> WaitForLineAsync(List<string> lines, Func<string, bool> match, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var found = lines.FirstOrDefault(match);
                if (found is not null)
                {
                    return found;
                }

                changed = _changed.Task;
            }

            await WaitForChangeAsync(changed, deadline, what).ConfigureAwait(false);
        }
    }

    private async Task WaitForChangeAsync(Task changed, DateTime deadline, string what)
    {
        var left = deadline - DateTime.UtcNow;
        if (left <= TimeSpan.Zero)
        {
            throw new TimeoutException($"{Label}: not seen in time: {what}{(HasExited ? $" (the process exited with {_process.ExitCode})" : "")}\n{Transcript}");
        }

        // Wake on a new line, on exit (no more lines will come), or at the deadline.
        await Task.WhenAny(changed, Task.Delay(left), _process.WaitForExitAsync()).ConfigureAwait(false);
        if (_process.HasExited && _stdoutClosed.Task.IsCompleted && _stderrClosed.Task.IsCompleted && !changed.IsCompleted)
        {
            throw new InvalidOperationException($"{Label} exited with {_process.ExitCode} before: {what}\n{Transcript}");
        }
    }

    private void Collect(List<string> lines, string? line, TaskCompletionSource closed)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (line is null)
            {
                closed.TrySetResult();
            }
            else
            {
                lines.Add(line);
            }

            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
