using System.Text;

namespace Parley.Cli.Chat;

/// <summary>
/// The terminal chat's screen: lines scroll above, the user's partly typed input stays on the bottom line.
/// Printing a line clears the input line, writes the text, and redraws the prompt and the buffer with the
/// cursor where it was, all under one lock so incoming messages and key presses never interleave.
/// </summary>
internal sealed class ChatView
{
    private readonly TextWriter _terminal;
    private readonly LineEditor _editor;
    private readonly Func<int> _width;
    private readonly Lock _gate = new();

    public ChatView(TextWriter terminal, LineEditor editor, string prompt, Func<int> width)
    {
        _terminal = terminal;
        _editor = editor;
        Prompt = prompt;
        _width = width;
    }

    public string Prompt { get; }

    /// <summary>Prints <paramref name="line"/> above the input line and redraws the input.</summary>
    public void PrintAbove(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        lock (_gate)
        {
            var text = new StringBuilder("\r\u001b[2K");
            foreach (var part in line.Split('\n'))
            {
                text.Append(part).Append("\r\n");
            }

            text.Append(_editor.Render(Prompt, _width()));
            _terminal.Write(text.ToString());
            _terminal.Flush();
        }
    }

    /// <summary>Applies a key to the editor and redraws when it changed anything.</summary>
    public EditOutcome Apply(ConsoleKeyInfo key)
    {
        lock (_gate)
        {
            var outcome = _editor.Apply(key);
            if (outcome == EditOutcome.Changed)
            {
                DrawInput();
            }

            return outcome;
        }
    }

    /// <summary>Takes the typed line and clears the input.</summary>
    public string TakeLine()
    {
        lock (_gate)
        {
            var line = _editor.Take();
            DrawInput();
            return line;
        }
    }

    public void DrawInput()
    {
        lock (_gate)
        {
            _terminal.Write(_editor.Render(Prompt, _width()));
            _terminal.Flush();
        }
    }

    /// <summary>Leaves the input line (at exit): erase it and move to a fresh line.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _terminal.Write("\r\u001b[2K");
            _terminal.Flush();
        }
    }
}
