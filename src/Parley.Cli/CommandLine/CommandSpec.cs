namespace Parley.Cli.CommandLine;

/// <summary>What a verb accepts and how its help reads.</summary>
internal sealed class CommandSpec
{
    public required string Name { get; init; }

    /// <summary>One line for <c>parley --help</c>.</summary>
    public required string Summary { get; init; }

    /// <summary>A paragraph for <c>parley VERB --help</c>; defaults to the summary.</summary>
    public string? Description { get; init; }

    public IReadOnlyList<ArgumentSpec> Arguments { get; init; } = [];

    public IReadOnlyList<OptionSpec> Options { get; init; } = [];

    /// <summary>Example command lines with what they do.</summary>
    public IReadOnlyList<(string Command, string Explanation)> Examples { get; init; } = [];

    /// <summary>Whether the verb uses a profile (adds <c>--profile</c> to its options and help).</summary>
    public bool UsesProfile { get; init; } = true;

    /// <summary>Every option the parser accepts: the verb's own and the global ones.</summary>
    public IEnumerable<OptionSpec> AllOptions =>
        UsesProfile ? [.. Options, GlobalOptions.Profile, GlobalOptions.Json, GlobalOptions.Help] : [.. Options, GlobalOptions.Json, GlobalOptions.Help];
}
