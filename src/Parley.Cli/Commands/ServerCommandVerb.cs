using Parley.Cli.CommandLine;
using Parley.Cli.Console;
using Parley.Cli.Server;

namespace Parley.Cli.Commands;

/// <summary><c>parley server</c>: the relay. Wraps <see cref="ServerCommand"/> (its options and help are its own).</summary>
internal sealed class ServerCommandVerb : CliCommand
{
    public override CommandSpec Spec { get; } = new()
    {
        Name = "server",
        Summary = "run the relay (stores and forwards ciphertext only)",
        UsesProfile = false,
        Options =
        [
            new("--data", "DIR", "where the SQLite database lives (default ./parley-data)"),
            new("--urls", "URL", "where to listen, ';'-separated (default http://127.0.0.1:8080)"),
            new("--store", "NAME", "sqlite (default; one node) or postgres (many nodes on one database)"),
            new("--postgres", "CONN", "the PostgreSQL connection string (or ConnectionStrings__Parley)"),
            new("--show-ciphertext", null, "add the first bytes of each envelope (base64) to the log"),
        ],
    };

    public override bool ParsesOwnArguments => true;

    public override Task<int> ExecuteAsync(CommandContext context) => throw new NotSupportedException();

    public override Task<int> ExecuteRawAsync(IReadOnlyList<string> words, IConsoleUi ui, CancellationToken cancellationToken) =>
        ServerCommand.RunAsync([.. words], ui.Out, ui.Error, cancellationToken);
}
