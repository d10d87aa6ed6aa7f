using System.Text;

namespace Parley.Cli.Chat;

/// <summary>
/// The input line of the terminal chat: a buffer and a cursor, edited key by key. Pure state: drawing is
/// <see cref="Render"/>, so it can be tested without a terminal.
/// </summary>
internal sealed class LineEditor
{
    /// <summary>The longest line the editor accepts (a chat message, not a document).</summary>
    public const int MaxLength = 16 * 1024;

    private readonly StringBuilder _buffer = new();

    public string Text => _buffer.ToString();

    public int Cursor { get; private set; }

    public EditOutcome Apply(ConsoleKeyInfo key)
    {
        var control = key.Modifiers.HasFlag(ConsoleModifiers.Control);
        if (control)
        {
            switch (key.Key)
            {
                case ConsoleKey.C:
                    return EditOutcome.Interrupt;
                case ConsoleKey.D:
                    if (_buffer.Length == 0)
                    {
                        return EditOutcome.EndOfInput;
                    }

                    return Delete(Cursor);
                case ConsoleKey.A:
                    return Move(0);
                case ConsoleKey.E:
                    return Move(_buffer.Length);
                case ConsoleKey.U:
                    _buffer.Remove(0, Cursor);
                    Cursor = 0;
                    return EditOutcome.Changed;
                case ConsoleKey.K:
                    _buffer.Length = Cursor;
                    return EditOutcome.Changed;
            }
        }

        switch (key.Key)
        {
            case ConsoleKey.Enter:
                return EditOutcome.Submit;
            case ConsoleKey.Backspace:
                return Cursor == 0 ? EditOutcome.Unchanged : Delete(Cursor - 1);
            case ConsoleKey.Delete:
                return Delete(Cursor);
            case ConsoleKey.LeftArrow:
                return Move(Cursor - 1);
            case ConsoleKey.RightArrow:
                return Move(Cursor + 1);
            case ConsoleKey.Home:
                return Move(0);
            case ConsoleKey.End:
                return Move(_buffer.Length);
        }

        // Ctrl-C arrives as the character U+0003 on some terminals even without the modifier flag.
        if (key.KeyChar == '\u0003')
        {
            return EditOutcome.Interrupt;
        }

        if (key.KeyChar == '\u0004')
        {
            return _buffer.Length == 0 ? EditOutcome.EndOfInput : Delete(Cursor);
        }

        if (key.KeyChar is '\r' or '\n')
        {
            return EditOutcome.Submit;
        }

        if (key.KeyChar is '\b' or '\u007f')
        {
            return Cursor == 0 ? EditOutcome.Unchanged : Delete(Cursor - 1);
        }

        if (char.IsControl(key.KeyChar) || _buffer.Length >= MaxLength)
        {
            return EditOutcome.Unchanged;
        }

        _buffer.Insert(Cursor, key.KeyChar);
        Cursor++;
        return EditOutcome.Changed;
    }

    /// <summary>Returns the line and empties the buffer.</summary>
    public string Take()
    {
        var text = _buffer.ToString();
        _buffer.Clear();
        Cursor = 0;
        return text;
    }

    /// <summary>
    /// The escape sequence that redraws the input line: carriage return, erase the line, the prompt and the
    /// part of the buffer that fits in <paramref name="width"/> columns, then the cursor put in place.
    /// </summary>
    public string Render(string prompt, int width)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var room = Math.Max(8, width - prompt.Length - 1);
        var start = Cursor < room ? 0 : Cursor - room + 1;
        var visible = _buffer.ToString(start, Math.Min(room, _buffer.Length - start));
        var column = prompt.Length + (Cursor - start);
        var line = new StringBuilder("\r\u001b[2K").Append(prompt).Append(visible).Append('\r');
        if (column > 0)
        {
            line.Append("\u001b[").Append(column).Append('C');
        }

        return line.ToString();
    }

    private EditOutcome Delete(int index)
    {
        if (index < 0 || index >= _buffer.Length)
        {
            return EditOutcome.Unchanged;
        }

        _buffer.Remove(index, 1);
        Cursor = index < Cursor ? Cursor - 1 : Cursor;
        return EditOutcome.Changed;
    }

    private EditOutcome Move(int to)
    {
        var clamped = Math.Clamp(to, 0, _buffer.Length);
        if (clamped == Cursor)
        {
            return EditOutcome.Unchanged;
        }

        Cursor = clamped;
        return EditOutcome.Changed;
    }
}

/// <summary>What a key did to the input line.</summary>
internal enum EditOutcome
{
    Unchanged,
    Changed,
    Submit,
    Interrupt,
    EndOfInput,
}
