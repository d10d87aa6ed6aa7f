using System.Text.Json.Nodes;
using Parley.Cli.CommandLine;
using Parley.Client;

namespace Parley.Cli.Commands;

/// <summary><c>parley send NAME TEXT</c>: encrypt and send one message; prints the envelope id.</summary>
internal sealed class SendCommand : CliCommand
{
    public override CommandSpec Spec { get; } = new()
    {
        Name = "send",
        Summary = "encrypt and send one message; prints its envelope id",
        Description = """
            Encrypts TEXT for every device of NAME and hands it to the relay. TEXT is the remaining words; without
            TEXT the message is read from stdin (up to 64 KiB). If the relay cannot be reached the message stays in
            the outbox (state "queued", exit 0) and the next parley command that reaches the relay sends it.
            Prints the relay's envelope id per recipient device (or the message id while queued). When NAME's
            identity key changed (an unverified contact: the message goes to the new key), stderr says so with the
            new safety number and --json carries it as "identityWarning"; a verified contact's change refuses (exit 7).
            """,
        Arguments = [new("NAME", "the recipient's username"), new("TEXT", "the message (else read from stdin)", Required: false, Variadic: true)],
        Examples =
        [
            ("parley send bob 'hello there'", "send a message to bob"),
            ("parley send bob < notes.txt", "send a file's text (up to 64 KiB)"),
            ("parley --json send bob hi", "{\"id\":…,\"to\":\"bob\",\"state\":\"sent\",\"envelopes\":[…]}"),
        ],
    };

    public override async Task<int> ExecuteAsync(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var to = context.Arguments.Positional(0);
        var text = context.Arguments.Rest(1) ?? await ReadStdinAsync(context).ConfigureAwait(false);
        await using var client = await ProfileAccess.OpenAsync(context).ConfigureAwait(false);
        SendResult sent;
        using (context.Progress($"Sending to {to}"))
        {
            sent = await client.SendTextAsync(to, text, context.CancellationToken).ConfigureAwait(false);
        }

        var envelopes = sent.Devices.Select(d => d.EnvelopeId.ToString()).ToList();
        var state = sent.State.ToString().ToLowerInvariant();
        var warning = sent.IdentityWarning is { } change ? RelayChatSession.ToChat(change) : null;
        if (warning is not null)
        {
            // The recipient's key changed and, the contact being unverified, the message went to the new key.
            context.Info(Chat.ChatText.IdentityNotice(warning, inChat: false));
        }

        if (sent.State == DeliveryState.Queued)
        {
            context.Info($"queued: the relay is unreachable; message {sent.MessageId} stays in the outbox and is sent by the next parley command that reaches it");
        }
        else
        {
            context.Info($"sent to {sent.To} ({sent.Devices.Count} device{(sent.Devices.Count == 1 ? "" : "s")}); message id {sent.MessageId}");
        }

        context.Result(
            envelopes.Count > 0 ? string.Join('\n', envelopes) : sent.MessageId.ToString(),
            new JsonObject
            {
                ["id"] = sent.MessageId.ToString(),
                ["to"] = sent.To,
                ["state"] = state,
                ["envelopes"] = new JsonArray([.. envelopes.Select(e => (JsonNode)JsonValue.Create(e))]),
                ["devices"] = new JsonArray([.. sent.Devices.Select(d => (JsonNode)JsonValue.Create(d.DeviceId))]),
                ["identityWarning"] = warning is null ? null : Chat.ChatText.IdentityWarningJson(warning),
            });
        return ExitCodes.Success;
    }

    private static async Task<string> ReadStdinAsync(CommandContext context)
    {
        if (context.Ui.IsInputTerminal)
        {
            throw CliException.Usage("parley send: missing TEXT (give it after NAME, or pipe it on stdin)");
        }

        var text = await context.Ui.In.ReadToEndAsync(context.CancellationToken).ConfigureAwait(false);

        // A trailing newline is how shells end input, not part of the message.
        text = text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
        return text.Length > 0 ? text : throw CliException.Usage("parley send: the message is empty");
    }
}
