using Parley.Cli.Chat;
using Parley.Cli.CommandLine;

namespace Parley.Cli.Commands;

/// <summary><c>parley chat NAME</c>: the interactive terminal chat (or line-by-line when stdin is not a terminal).</summary>
internal sealed class ChatCommand : CliCommand
{
    public override CommandSpec Spec { get; } = new()
    {
        Name = "chat",
        Summary = "chat with NAME: incoming messages appear while you type",
        Description = """
            On a terminal: type on the bottom line while messages arrive above it, with timestamps and delivery state
            (sent = stored by the relay; queued = kept in the outbox while offline, sent when the relay returns).
            A changed safety number is announced; if you had verified NAME, sending stops until you /verify again.
            Commands: /show, /verify, /quit, /help (start a message with // to send a leading slash).
            When stdin is not a terminal: each input line is sent, each received message is printed as one line
            ("[HH:mm:ss] NAME: TEXT", or JSON with --json); at end of input it waits for queued messages, then exits.
            """,
        Arguments = [new("NAME", "who to chat with")],
        Examples =
        [
            ("parley chat bob", "chat with bob in this terminal"),
            ("printf 'hi\\nhow are you?\\n' | parley chat bob", "send two lines from a script"),
            ("parley --json chat bob < /dev/null", "flush the outbox and exit"),
        ],
    };

    public override async Task<int> ExecuteAsync(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var peer = context.Arguments.Positional(0);
        await using var client = await ProfileAccess.OpenAsync(context).ConfigureAwait(false);
        if (client.RelayUrl is null)
        {
            throw new CliException(ExitCodes.Profile, "this is a peer-only profile (no relay): use `parley peer --listen URL` or `parley peer --connect URL`");
        }

        var session = new RelayChatSession(client, peer);
        return context.Ui.IsInputTerminal && !context.Json
            ? await new TerminalChat(context.Ui, session).RunAsync(context.CancellationToken).ConfigureAwait(false)
            : await new LineChat(context.Ui, session, context.Json).RunAsync(context.CancellationToken).ConfigureAwait(false);
    }
}
