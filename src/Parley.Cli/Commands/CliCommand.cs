using Parley.Cli.CommandLine;

namespace Parley.Cli.Commands;

/// <summary>
/// A verb. Subclasses declare their <see cref="Spec"/> and implement <see cref="ExecuteAsync"/>; parsing,
/// <c>--help</c>, and turning failures into one-line errors with exit codes happen in <see cref="CliApplication"/>.
/// </summary>
internal abstract class CliCommand
{
    public abstract CommandSpec Spec { get; }

    /// <summary>Whether the verb parses its own arguments (server, interop keep their own contracts).</summary>
    public virtual bool ParsesOwnArguments => false;

    /// <summary>Runs the verb and returns its exit code (throw <see cref="CliException"/> for user-facing failures).</summary>
    public abstract Task<int> ExecuteAsync(CommandContext context);

    /// <summary>For verbs with <see cref="ParsesOwnArguments"/>: run with the raw words after the verb.</summary>
    public virtual Task<int> ExecuteRawAsync(IReadOnlyList<string> words, Console.IConsoleUi ui, CancellationToken cancellationToken) =>
        throw new NotSupportedException();
}
