using Parley.Cli.Server;

namespace Parley.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "server":
                return await ServerCommand.RunAsync(args[1..], Console.Out, Console.Error, CancellationToken.None).ConfigureAwait(false);
            case "interop" when args.Length == 1:
                return await Interop.InteropDriver.RunAsync(Console.In, Console.Out, Console.Error, CancellationToken.None).ConfigureAwait(false);
        }

        Console.Error.WriteLine("parley: usage: parley server|interop");
        return args.Length == 0 ? 0 : 2;
    }
}
