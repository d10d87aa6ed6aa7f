namespace Parley.Cli.CommandLine;

/// <summary>One option of a verb: <c>--name</c> (a flag) or <c>--name VALUE</c>.</summary>
/// <param name="Name">The long name, with its dashes (<c>--wait</c>).</param>
/// <param name="ValueName">The value's placeholder in help (<c>SECONDS</c>); null for a flag.</param>
/// <param name="Description">One line for the help.</param>
/// <param name="Alias">An optional short form (<c>-w</c>).</param>
internal sealed record OptionSpec(string Name, string? ValueName, string Description, string? Alias = null)
{
    public bool IsFlag => ValueName is null;

    public bool Matches(string token) => token == Name || (Alias is not null && token == Alias);
}
