namespace Parley.Cli.Console;

/// <summary>
/// Every byte the CLI reads from or writes to the terminal goes through here, so tests can substitute a
/// fake. stdout carries results (or JSON lines with <c>--json</c>); stderr carries human text.
/// </summary>
internal interface IConsoleUi
{
    /// <summary>stdout.</summary>
    TextWriter Out { get; }

    /// <summary>stderr.</summary>
    TextWriter Error { get; }

    /// <summary>stdin, for line-by-line input when it is not a terminal.</summary>
    TextReader In { get; }

    bool IsInputTerminal { get; }

    bool IsOutputTerminal { get; }

    bool IsErrorTerminal { get; }

    /// <summary>Width of the terminal in columns (80 when unknown).</summary>
    int Width { get; }

    /// <summary>Reads an environment variable.</summary>
    string? GetEnvironmentVariable(string name);

    /// <summary>Reads a secret from the terminal without echoing it; null when stdin is not a terminal or on Ctrl-C/Ctrl-D.</summary>
    string? ReadSecret(string prompt);

    /// <summary>Reads one key press without echo (terminal chat); null at end of input.</summary>
    Task<ConsoleKeyInfo?> ReadKeyAsync(CancellationToken cancellationToken);

    /// <summary>Puts the terminal in the mode the line editor needs (Ctrl-C as a key); undone on dispose.</summary>
    IDisposable EnterKeyMode();

    /// <summary>Shows a progress indicator on stderr while the returned object lives (only when stderr is a terminal).</summary>
    IDisposable BeginProgress(string what);
}
