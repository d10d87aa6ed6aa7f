using Parley.Cli.CommandLine;
using Parley.Cli.Console;
using Parley.Cli.Interop;

namespace Parley.Cli.Commands;

/// <summary>
/// <c>parley interop</c>: the JSON-lines driver of DESIGN.md §5, exactly as <see cref="InteropDriver"/> runs it
/// (no prompts; stdout carries answers only).
/// </summary>
internal sealed class InteropCommandVerb : CliCommand
{
    public override CommandSpec Spec { get; } = new()
    {
        Name = "interop",
        Summary = "the interop driver: JSON requests on stdin, one JSON answer per line on stdout (DESIGN.md section 5)",
        Description = """
            Reads one JSON request per line on stdin and writes exactly one JSON answer per line on stdout, keeping
            all protocol state in memory; the Node harness in interop/ speaks the same protocol over libsignal.
            Commands: init, bundle, process_bundle, encrypt, decrypt, fingerprint, skdm_create, skdm_process,
            group_encrypt, group_decrypt, quit (plus the extensions in interop/README.md).
            """,
        UsesProfile = false,
        Examples = [("echo '{\"cmd\":\"init\",\"name\":\"alice\"}' | parley interop", "one request, one answer")],
    };

    public override bool ParsesOwnArguments => true;

    public override Task<int> ExecuteAsync(CommandContext context) => throw new NotSupportedException();

    public override async Task<int> ExecuteRawAsync(IReadOnlyList<string> words, IConsoleUi ui, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(ui);
        if (words.Count == 1 && words[0] is "--help" or "-h")
        {
            await ui.Out.WriteLineAsync(HelpWriter.ForVerb(Spec)).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        if (words.Count > 0)
        {
            throw CliException.Usage($"parley interop: takes no arguments, got '{words[0]}' (see parley interop --help)");
        }

        return await InteropDriver.RunAsync(ui.In, ui.Out, ui.Error, cancellationToken).ConfigureAwait(false);
    }
}
