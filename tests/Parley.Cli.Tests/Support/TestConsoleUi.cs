using System.Threading.Channels;
using Parley.Cli.Console;

namespace Parley.Cli.Tests.Support;

/// <summary>A console for in-process tests: captured stdout/stderr, scripted stdin, keys and environment.</summary>
internal sealed class TestConsoleUi : IConsoleUi
{
    private readonly Channel<ConsoleKeyInfo?> _keys = Channel.CreateUnbounded<ConsoleKeyInfo?>();
    private readonly Dictionary<string, string> _environment = [];

    public TestConsoleUi(string input = "", bool terminal = false)
    {
        In = new StringReader(input);
        IsInputTerminal = terminal;
        IsOutputTerminal = terminal;
        IsErrorTerminal = terminal;
    }

    public StringWriter OutWriter { get; } = new();

    public StringWriter ErrorWriter { get; } = new();

    public TextWriter Out => TextWriter.Synchronized(OutWriter);

    public TextWriter Error => TextWriter.Synchronized(ErrorWriter);

    public TextReader In { get; set; }

    public bool IsInputTerminal { get; set; }

    public bool IsOutputTerminal { get; set; }

    public bool IsErrorTerminal { get; set; }

    public int Width { get; set; } = 80;

    public Queue<string?> Secrets { get; } = new();

    public List<string> SecretPrompts { get; } = [];

    public int ProgressShown { get; private set; }

    public string Output => OutWriter.ToString();

    public string ErrorOutput => ErrorWriter.ToString();

    public void SetEnvironment(string name, string value) => _environment[name] = value;

    public string? GetEnvironmentVariable(string name) => _environment.GetValueOrDefault(name);

    public string? ReadSecret(string prompt)
    {
        SecretPrompts.Add(prompt);
        return IsInputTerminal && Secrets.Count > 0 ? Secrets.Dequeue() : null;
    }

    public void Type(string text)
    {
        foreach (var c in text)
        {
            _keys.Writer.TryWrite(new ConsoleKeyInfo(c, c == '\r' ? ConsoleKey.Enter : default, shift: false, alt: false, control: false));
        }
    }

    public void Press(ConsoleKey key, char keyChar = '\0', bool control = false) =>
        _keys.Writer.TryWrite(new ConsoleKeyInfo(keyChar, key, shift: false, alt: false, control));

    public void EndKeys() => _keys.Writer.TryWrite(null);

    public async Task<ConsoleKeyInfo?> ReadKeyAsync(CancellationToken cancellationToken) =>
        await _keys.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);

    public IDisposable EnterKeyMode() => new Nothing();

    public IDisposable BeginProgress(string what)
    {
        ProgressShown++;
        return new Nothing();
    }

    private sealed class Nothing : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
