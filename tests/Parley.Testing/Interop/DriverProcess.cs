using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Parley.Testing.Interop;

/// <summary>
/// One running interop driver: writes one JSON request per line to its stdin and reads one JSON answer per
/// line from its stdout (DESIGN.md §5). Requests are answered strictly in order, so each call awaits the
/// next line, bounded by a timeout. stderr is kept (the last 64 KiB) for failure messages.
/// </summary>
public sealed class DriverProcess : IAsyncDisposable
{
    private const int StandardErrorKeptChars = 64 * 1024;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly Process _process;
    private readonly Channel<string> _answers = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly StringBuilder _stderr = new();
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly Task _stdoutPump;
    private long _nextId;
    private bool _broken;
    private bool _disposed;
    private int? _exitCode;

    private DriverProcess(DriverCommand command, Process process)
    {
        Command = command;
        _process = process;
        _process.ErrorDataReceived += (_, e) => KeepStandardError(e.Data);
        _process.BeginErrorReadLine();
        _stdoutPump = Task.Run(PumpStandardOutputAsync);
    }

    /// <summary>What was started.</summary>
    public DriverCommand Command { get; }

    /// <summary>How long a request may take unless the call says otherwise.</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long <see cref="DisposeAsync"/> waits after <c>quit</c> before it kills the process.</summary>
    public TimeSpan ExitGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The exit code once the process has ended and been disposed (a killed driver has a non-zero code).</summary>
    public int? ExitCode => _exitCode;

    /// <summary>The tail of what the driver wrote to stderr so far.</summary>
    public string StandardErrorTail
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _exitCode is not null || _process.HasExited;

    /// <summary>Starts a driver. Fails clearly when the executable is missing.</summary>
    public static DriverProcess Start(DriverCommand command, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        var info = new ProcessStartInfo(command.FileName)
        {
            WorkingDirectory = command.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in command.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                info.Environment[name] = value;
            }
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new DriverException($"Could not start {command}.");
        }
        catch (Win32Exception e)
        {
            throw new DriverException($"Could not start the {command.Label} driver: {command}. Is {command.FileName} installed and on PATH? ({e.Message})", e);
        }

        return new DriverProcess(command, process);
    }

    /// <summary>
    /// Sends <paramref name="request"/> (an <c>id</c> is added when absent) and returns the answer, which must
    /// echo that id. An <c>ok:false</c> answer is returned, not thrown.
    /// </summary>
    public async Task<JsonObject> RequestAsync(JsonObject request, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.ContainsKey("id"))
        {
            request["id"] = Interlocked.Increment(ref _nextId);
        }

        var id = request["id"]?.ToJsonString() ?? "null";
        var cmd = request["cmd"]?.ToString() ?? "?";
        var answer = await ExchangeAsync(request.ToJsonString(), $"{cmd} (id {id})", timeout).ConfigureAwait(false);
        var echoed = answer["id"]?.ToJsonString() ?? "null";
        if (echoed != id)
        {
            _broken = true;
            throw Failure($"answered id {echoed} to a request with id {id}: {answer.ToJsonString()}");
        }

        return answer;
    }

    /// <summary>Sends a request and throws unless the answer is <c>ok:true</c>.</summary>
    public async Task<JsonObject> RequestOkAsync(JsonObject request, TimeSpan? timeout = null)
    {
        var answer = await RequestAsync(request, timeout).ConfigureAwait(false);
        if (answer["ok"]?.GetValueKind() != JsonValueKind.True)
        {
            throw Failure($"refused {request["cmd"]}: {answer["error"]} (answer {Abbreviate(answer.ToJsonString())})");
        }

        return answer;
    }

    /// <summary>Writes one raw line (for malformed-input tests) and returns the next answer, whatever its id.</summary>
    public Task<JsonObject> SendRawLineAsync(string line, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("A raw line must not contain a newline.", nameof(line));
        }

        return ExchangeAsync(line, $"raw line \"{Abbreviate(line)}\"", timeout);
    }

    /// <summary>Sends <c>quit</c>, waits a bounded time for the exit, and kills the process otherwise.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_process.HasExited && !_broken)
            {
                await _process.StandardInput.WriteLineAsync("{\"cmd\":\"quit\"}").ConfigureAwait(false);
                await _process.StandardInput.FlushAsync().ConfigureAwait(false);
                _process.StandardInput.Close();
            }
        }
        catch (IOException)
        {
            // The driver already went away; the kill below covers it.
        }
        catch (ObjectDisposedException)
        {
        }

        using (var grace = new CancellationTokenSource(ExitGrace))
        {
            try
            {
                await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }

        await _stdoutPump.ConfigureAwait(false);
        _exitCode = _process.ExitCode;
        _process.Dispose();
        _turn.Dispose();
    }

    private async Task<JsonObject> ExchangeAsync(string line, string what, TimeSpan? timeout)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _turn.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_broken)
            {
                throw Failure($"is out of step after an earlier failure; not sending {what}");
            }

            try
            {
                await _process.StandardInput.WriteLineAsync(line).ConfigureAwait(false);
                await _process.StandardInput.FlushAsync().ConfigureAwait(false);
            }
            catch (IOException e)
            {
                _broken = true;
                throw Failure($"closed its stdin before {what}", e);
            }

            var limit = timeout ?? DefaultTimeout;
            string answerLine;
            using (var cancel = new CancellationTokenSource(limit))
            {
                try
                {
                    answerLine = await _answers.Reader.ReadAsync(cancel.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    _broken = true;
                    throw Failure($"did not answer {what} within {limit.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
                }
                catch (ChannelClosedException)
                {
                    _broken = true;
                    await WaitBrieflyForExitAsync().ConfigureAwait(false);
                    var code = _process.HasExited ? _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "?";
                    throw Failure($"exited (code {code}) without answering {what}");
                }
            }

            try
            {
                return JsonNode.Parse(answerLine) as JsonObject
                    ?? throw Failure($"answered {what} with a non-object: {Abbreviate(answerLine)}");
            }
            catch (JsonException e)
            {
                _broken = true;
                throw Failure($"answered {what} with a line that is not JSON: {Abbreviate(answerLine)}", e);
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task PumpStandardOutputAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                _answers.Writer.TryWrite(line);
            }
        }
        catch (IOException)
        {
            // The pipe broke: treated like end of output.
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            _answers.Writer.TryComplete();
        }
    }

    private async Task WaitBrieflyForExitAsync()
    {
        using var grace = new CancellationTokenSource(ExitGrace);
        try
        {
            await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void KeepStandardError(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_stderr)
        {
            _stderr.AppendLine(line);
            if (_stderr.Length > StandardErrorKeptChars)
            {
                _stderr.Remove(0, _stderr.Length - StandardErrorKeptChars);
            }
        }
    }

    private DriverException Failure(string what, Exception? inner = null)
    {
        var stderr = StandardErrorTail.Trim();
        var message = $"The {Command.Label} driver {what}. Command: {Command}."
            + (stderr.Length == 0 ? " Its stderr was empty." : $" Its stderr:{Environment.NewLine}{stderr}");
        return inner is null ? new DriverException(message) : new DriverException(message, inner);
    }

    private static string Abbreviate(string text) => text.Length <= 300 ? text : string.Concat(text.AsSpan(0, 300), "…");
}
