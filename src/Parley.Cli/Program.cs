using Parley.Cli.Commands;
using Parley.Cli.Console;

namespace Parley.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var interrupt = new CancellationTokenSource();
        System.Console.CancelKeyPress += (_, e) =>
        {
            // The first Ctrl-C asks the verb to stop cleanly; a second one ends the process.
            if (!interrupt.IsCancellationRequested)
            {
                e.Cancel = true;
                interrupt.Cancel();
            }
        };

        // Every verb (server, interop, init, send, …) is a command class listed in Commands/CommandCatalog.cs.
        var ui = new SystemConsoleUi();
        return await CommandCatalog.CreateApplication().RunAsync(args, ui, interrupt.Token).ConfigureAwait(false);
    }
}
