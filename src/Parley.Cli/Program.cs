namespace Parley.Cli;

internal static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["interop"])
        {
            return Interop.InteropDriver.RunAsync(Console.In, Console.Out, Console.Error, CancellationToken.None).GetAwaiter().GetResult();
        }

        Console.Error.WriteLine("parley: no verbs are implemented yet");
        return args.Length == 0 ? 0 : 2;
    }
}
