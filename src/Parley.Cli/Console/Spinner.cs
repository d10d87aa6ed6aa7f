namespace Parley.Cli.Console;

/// <summary>
/// A one-line progress indicator on a terminal's stderr: "⠋ Creating keys… 3s", redrawn every 100 ms,
/// erased when disposed. Used only when stderr is a terminal, so logs and pipes never see it.
/// </summary>
internal sealed class Spinner : IDisposable
{
    private static readonly string[] Frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
    private readonly TextWriter _error;
    private readonly string _what;
    private readonly Timer _timer;
    private readonly long _started = Environment.TickCount64;
    private readonly Lock _gate = new();
    private int _frame;
    private bool _stopped;

    public Spinner(TextWriter error, string what)
    {
        _error = error;
        _what = what;
        _timer = new Timer(_ => Draw(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
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
            _error.Write("\r\u001b[2K");
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

            var seconds = (Environment.TickCount64 - _started) / 1000;
            var frame = Frames[_frame++ % Frames.Length];
            _error.Write($"\r\u001b[2K{frame} {_what}… {seconds}s");
            _error.Flush();
        }
    }
}
