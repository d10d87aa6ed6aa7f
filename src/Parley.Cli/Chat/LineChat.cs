using Parley.Cli.Commands;
using Parley.Cli.Console;

namespace Parley.Cli.Chat;

/// <summary>
/// The scriptable chat, used when stdin is not a terminal: each input line is sent (or run, if it is a
/// /command); each received message is one line on stdout (<c>[time] name: text</c>, or the JSON object of
/// <c>receive --json</c>). Status goes to stderr. At the end of input it waits for queued messages to leave,
/// then exits.
/// </summary>
internal sealed class LineChat
{
    private readonly IConsoleUi _ui;
    private readonly IChatSession _session;
    private readonly bool _json;
    private readonly Lock _gate = new();

    public LineChat(IConsoleUi ui, IChatSession session, bool json)
    {
        _ui = ui;
        _session = session;
        _json = json;
    }

    /// <summary>How long the end of input waits for queued messages.</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var events = Task.Run(() => PrintEventsAsync(stop.Token), CancellationToken.None);
        Status($"chat with {_session.PeerName} as {_session.OwnName}: one message per input line");
        var exitCode = ExitCodes.Success;
        try
        {
            while (true)
            {
                var line = await _ui.In.ReadLineAsync(stop.Token).ConfigureAwait(false);
                if (line is null)
                {
                    using var flush = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                    flush.CancelAfter(FlushTimeout);
                    await _session.FlushAsync(flush.Token).ConfigureAwait(false);
                    break;
                }

                if (line.Length == 0)
                {
                    continue;
                }

                if (SlashCommands.IsCommand(line))
                {
                    if (await SlashCommands.RunAsync(line, _session, Status, stop.Token).ConfigureAwait(false) == ChatCommandResult.Quit)
                    {
                        break;
                    }

                    continue;
                }

                try
                {
                    var sent = await _session.SendAsync(SlashCommands.Unescape(line), stop.Token).ConfigureAwait(false);
                    Status($"{ChatText.State(sent.State)} {sent.Id}");
                }
                catch (Exception failure) when (failure is not OperationCanceledException)
                {
                    var (code, message) = ErrorTranslator.Translate(failure, stop.Token);
                    Status("not sent: " + message);
                    exitCode = code;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            exitCode = ExitCodes.Interrupted;
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await events.ConfigureAwait(false);
        }

        return exitCode;
    }

    private void Status(string line)
    {
        lock (_gate)
        {
            _ui.Error.WriteLine(line);
            _ui.Error.Flush();
        }
    }

    private async Task PrintEventsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in _session.ReadEventsAsync(cancellationToken).ConfigureAwait(false))
            {
                switch (update)
                {
                    case MessageArrived message:
                        lock (_gate)
                        {
                            _ui.Out.WriteLine(_json
                                ? ChatText.Json(ChatText.MessageJson(message))
                                : ChatText.Message(message.Sent, message.From, TerminalSafe.Clean(message.Text)));
                            _ui.Out.Flush();
                        }

                        break;
                    case DeliveryUpdated delivery:
                        Status($"{ChatText.State(delivery.State)} {delivery.Id}{(delivery.Detail is null ? "" : ": " + delivery.Detail)}");
                        break;
                    case IdentityChanged change:
                        Status(ChatText.IdentityNotice(change));
                        break;
                    case ChatNotice notice:
                        Status(notice.Text);
                        break;
                    case ConnectionChanged connection:
                        Status($"{(connection.Connected ? "connected" : "disconnected")}: {connection.Detail}");
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Leaving the chat.
        }
        catch (Exception failure)
        {
            Status("receiving stopped: " + ErrorTranslator.Translate(failure, cancellationToken).Message);
        }
    }
}
