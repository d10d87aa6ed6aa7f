namespace Parley.Crypto.Tests.Vectors.Support;

/// <summary>Cases too slow for every PR run are enabled with <c>PARLEY_LONG_TESTS=1</c> (TESTPLAN "N" runs).</summary>
internal static class LongTests
{
    public const string Variable = "PARLEY_LONG_TESTS";

    public static bool Enabled => Environment.GetEnvironmentVariable(Variable) == "1";

    public static string SkipReason => $"long-running; set {Variable}=1 to run";
}
