namespace Parley.Cli.CommandLine;

/// <summary>A positional argument of a verb.</summary>
/// <param name="Name">Its placeholder in help (<c>NAME</c>).</param>
/// <param name="Description">One line for the help.</param>
/// <param name="Required">Whether it must be given.</param>
/// <param name="Variadic">Whether it takes all remaining words (only the last argument may).</param>
internal sealed record ArgumentSpec(string Name, string Description, bool Required = true, bool Variadic = false);
