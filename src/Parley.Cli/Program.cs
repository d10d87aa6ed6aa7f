namespace Parley.Cli;

internal static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("parley: no verbs are implemented yet");
        return args.Length == 0 ? 0 : 2;
    }
}
