using System.Text;

namespace Parley.Cli.Console;

/// <summary>The real terminal, through <see cref="System.Console"/>.</summary>
internal sealed class SystemConsoleUi : IConsoleUi
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly Lazy<TextWriter> _out = new(() => CreateWriter(System.Console.OpenStandardOutput()));
    private readonly Lazy<TextWriter> _error = new(() => CreateWriter(System.Console.OpenStandardError()));
    private readonly Lazy<TextReader> _in = new(() => new StreamReader(System.Console.OpenStandardInput(), Utf8, detectEncodingFromByteOrderMarks: false));

    public TextWriter Out => _out.Value;

    public TextWriter Error => _error.Value;

    public TextReader In => _in.Value;

    public bool IsInputTerminal => !System.Console.IsInputRedirected;

    public bool IsOutputTerminal => !System.Console.IsOutputRedirected;

    public bool IsErrorTerminal => !System.Console.IsErrorRedirected;

    public int Width
    {
        get
        {
            try
            {
                var width = System.Console.WindowWidth;
                return width > 10 ? width : 80;
            }
            catch (IOException)
            {
                return 80;
            }
        }
    }

    public string? GetEnvironmentVariable(string name) => Environment.GetEnvironmentVariable(name);

    public string? ReadSecret(string prompt)
    {
        if (!IsInputTerminal)
        {
            return null;
        }

        Error.Write(prompt);
        Error.Flush();
        var secret = new StringBuilder();
        var interceptCtrlC = System.Console.TreatControlCAsInput;
        System.Console.TreatControlCAsInput = true;
        try
        {
            while (true)
            {
                var key = System.Console.ReadKey(intercept: true);
                switch (key.Key)
                {
                    case ConsoleKey.Enter:
                        Error.WriteLine();
                        return secret.ToString();
                    case ConsoleKey.Backspace:
                        if (secret.Length > 0)
                        {
                            secret.Length--;
                        }

                        continue;
                }

                if (key.Modifiers.HasFlag(ConsoleModifiers.Control) && key.Key is ConsoleKey.C or ConsoleKey.D)
                {
                    Error.WriteLine();
                    return null;
                }

                if (!char.IsControl(key.KeyChar))
                {
                    secret.Append(key.KeyChar);
                }
            }
        }
        finally
        {
            System.Console.TreatControlCAsInput = interceptCtrlC;
        }
    }

    public Task<ConsoleKeyInfo?> ReadKeyAsync(CancellationToken cancellationToken)
    {
        // Console.ReadKey blocks its thread; run it on a dedicated one so the chat loop stays responsive.
        var completion = new TaskCompletionSource<ConsoleKeyInfo?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                completion.TrySetResult(System.Console.ReadKey(intercept: true));
            }
            catch (InvalidOperationException)
            {
                completion.TrySetResult(null);
            }
            catch (IOException)
            {
                completion.TrySetResult(null);
            }
        })
        {
            IsBackground = true,
            Name = "parley-keys",
        };
        thread.Start();
        return completion.Task.WaitAsync(cancellationToken);
    }

    public IDisposable EnterKeyMode()
    {
        var previous = System.Console.TreatControlCAsInput;
        System.Console.TreatControlCAsInput = true;
        return new Restore(() => System.Console.TreatControlCAsInput = previous);
    }

    public IDisposable BeginProgress(string what) =>
        IsErrorTerminal ? new Spinner(Error, what) : new Restore(() => { });

    private static StreamWriter CreateWriter(Stream stream) => new(stream, Utf8) { AutoFlush = true };

    private sealed class Restore(Action undo) : IDisposable
    {
        private Action? _undo = undo;

        public void Dispose() => Interlocked.Exchange(ref _undo, null)?.Invoke();
    }
}
