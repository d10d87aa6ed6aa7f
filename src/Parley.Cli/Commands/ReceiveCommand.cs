using Parley.Cli.Chat;
using Parley.Cli.CommandLine;
using Parley.Client;

namespace Parley.Cli.Commands;

/// <summary><c>parley receive [--wait SECONDS]</c>: fetch, decrypt, acknowledge and print pending messages.</summary>
internal sealed class ReceiveCommand : CliCommand
{
    public override CommandSpec Spec { get; } = new()
    {
        Name = "receive",
        Summary = "fetch, decrypt, acknowledge and print pending messages",
        Description = """
            Fetches every pending envelope from the relay, decrypts it, stores it and only then acknowledges it, and
            prints each message once, oldest first: "[HH:mm:ss] NAME: TEXT" on stdout, or with --json one object
            {"from","text","id","sent"} per line. With --wait it waits up to SECONDS for a first message when none
            is pending. Identity changes and undecryptable envelopes are reported on stderr. Also sends anything
            left in the outbox.
            """,
        Options = [new("--wait", "SECONDS", "wait up to SECONDS (0-3600) for a message when none is pending (default 0)", "-w")],
        Examples =
        [
            ("parley receive", "print what is waiting and exit"),
            ("parley receive --wait 30", "wait up to 30 s for something to arrive"),
            ("parley --json receive | jq -r .text", "just the texts"),
        ],
    };

    public override async Task<int> ExecuteAsync(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var wait = TimeSpan.FromSeconds(context.Arguments.Int("--wait", 0, 0, 3600));
        await using var client = await ProfileAccess.OpenAsync(context).ConfigureAwait(false);
        IReadOnlyList<ClientEvent> events;
        using (wait > TimeSpan.Zero ? context.Progress("Waiting for messages") : context.Progress("Fetching"))
        {
            events = await client.FetchPendingAsync(wait, context.CancellationToken).ConfigureAwait(false);
        }

        var count = 0;
        foreach (var update in events)
        {
            switch (update)
            {
                case IncomingMessage message:
                    count++;
                    var arrived = RelayChatSession.ToChat(message);
                    context.Result(ChatText.Message(arrived.Sent, arrived.From, TerminalSafe.Clean(arrived.Text)), ChatText.MessageJson(arrived));
                    break;
                case Client.IdentityChanged change:
                    context.Info(ChatText.IdentityNotice(RelayChatSession.ToChat(change), inChat: false));
                    break;
                case UndecryptableMessage bad:
                    context.Info(RelayChatSession.ToChat(bad).Text);
                    break;
            }
        }

        context.Info(count == 0 ? "no messages" : $"{count} message{(count == 1 ? "" : "s")}");
        return ExitCodes.Success;
    }
}
