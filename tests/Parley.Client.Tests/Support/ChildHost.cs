namespace Parley.Client.Tests.Support;

/// <summary>
/// Entry point of the test assembly when run as a child process (<c>dotnet Parley.Client.Tests.dll VERB …</c>)
/// by the crash tests. The test runner never calls it.
/// </summary>
internal static class ChildHost
{
    public static async Task<int> Main(string[] args)
    {
        await Console.Error.WriteLineAsync("Parley.Client.Tests: run through dotnet test; child verbs: " + string.Join(", ", args));
        return 2;
    }
}
