namespace Parley.Cli.CommandLine;

/// <summary>The options every verb accepts (DESIGN.md §3).</summary>
internal static class GlobalOptions
{
    public static readonly OptionSpec Profile = new(
        "--profile", "DIR", "the profile folder (default $PARLEY_HOME, else ~/.local/share/parley)");

    public static readonly OptionSpec Json = new(
        "--json", null, "machine output: one JSON object per line on stdout, human text on stderr");

    public static readonly OptionSpec Help = new("--help", null, "show this help", "-h");

    /// <summary>Global options that may stand before the verb (<c>parley --profile DIR send …</c>).</summary>
    public static readonly IReadOnlyList<OptionSpec> BeforeVerb = [Profile, Json];
}
