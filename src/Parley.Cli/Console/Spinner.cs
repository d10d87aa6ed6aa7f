namespace Parley.Cli.Console;

/// <summary>
/// A one-line progress indicator on a terminal's stderr: "⠋ Creating keys… 3s", drawn at once, redrawn every
/// 100 ms, erased when disposed. Used only when stderr is a terminal, so logs and pipes never see it.
/// </summary>
internal sealed class Spinner : IDisposable
{
    /// <summary>How often the line is redrawn.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>Goes back to the start of the line and clears it.</summary>
    public const string Erase = "\r\u001b[2K";

    private static readonly string[] Frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
    private readonly TextWriter _error;
    private readonly string _what;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly Lock _gate = new();
    private readonly ITimer _timer;
    private int _frame;
    private bool _stopped;

    public Spinner(TextWriter error, string what, TimeProvider? time = null)
    {
        _error = error;
        _what = what;
        _time = time ?? TimeProvider.System;
        _started = _time.GetTimestamp();
        Draw();
        _timer = _time.CreateTimer(_ => Draw(), null, Interval, Interval);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            _timer.Dispose();
            _error.Write(Erase);
            _error.Flush();
        }
    }

    private void Draw()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            var seconds = (long)_time.GetElapsedTime(_started).TotalSeconds;
            var frame = Frames[_frame++ % Frames.Length];
            _error.Write($"{Erase}{frame} {_what}… {seconds}s");
            _error.Flush();
        }
    }
}
