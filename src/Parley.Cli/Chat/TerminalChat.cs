using Parley.Cli.Commands;
using Parley.Cli.Console;

namespace Parley.Cli.Chat;

/// <summary>
/// The interactive chat on a terminal: key-by-key input on the bottom line while incoming messages,
/// delivery updates and identity notices appear above it.
/// </summary>
internal sealed class TerminalChat
{
    private readonly IConsoleUi _ui;
    private readonly IChatSession _session;

    public TerminalChat(IConsoleUi ui, IChatSession session)
    {
        _ui = ui;
        _session = session;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var keyMode = _ui.EnterKeyMode();
        var view = new ChatView(_ui.Out, new LineEditor(), "> ", () => _ui.Width);
        view.PrintAbove($"Chatting as {_session.OwnName} with {_session.PeerName}. Type a message and press Enter; /help for commands.");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var events = Task.Run(() => ShowEventsAsync(view, stop.Token), CancellationToken.None);
        var exitCode = ExitCodes.Success;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var key = await _ui.ReadKeyAsync(stop.Token).ConfigureAwait(false);
                if (key is null)
                {
                    break;
                }

                var outcome = view.Apply(key.Value);
                if (outcome is EditOutcome.Interrupt or EditOutcome.EndOfInput)
                {
                    break;
                }

                if (outcome != EditOutcome.Submit)
                {
                    continue;
                }

                var line = view.TakeLine();
                if (line.Trim().Length == 0)
                {
                    continue;
                }

                if (SlashCommands.IsCommand(line))
                {
                    if (await RunCommandAsync(line, view, stop.Token).ConfigureAwait(false) == ChatCommandResult.Quit)
                    {
                        break;
                    }

                    continue;
                }

                await SendAsync(SlashCommands.Unescape(line), view, stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            exitCode = cancellationToken.IsCancellationRequested ? ExitCodes.Interrupted : ExitCodes.Success;
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await events.ConfigureAwait(false);
            view.Close();
        }

        return exitCode;
    }

    private async Task<ChatCommandResult> RunCommandAsync(string line, ChatView view, CancellationToken cancellationToken)
    {
        try
        {
            return await SlashCommands.RunAsync(line, _session, view.PrintAbove, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            view.PrintAbove("! " + ErrorTranslator.Translate(failure, cancellationToken).Message);
            return ChatCommandResult.Continue;
        }
    }

    private async Task SendAsync(string text, ChatView view, CancellationToken cancellationToken)
    {
        try
        {
            var sent = await _session.SendAsync(text, cancellationToken).ConfigureAwait(false);
            view.PrintAbove($"{ChatText.Message(sent.Sent, _session.OwnName, text)}   [{ChatText.State(sent.State)}]");
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            view.PrintAbove("! not sent: " + ErrorTranslator.Translate(failure, cancellationToken).Message);
        }
    }

    private async Task ShowEventsAsync(ChatView view, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in _session.ReadEventsAsync(cancellationToken).ConfigureAwait(false))
            {
                var line = update switch
                {
                    MessageArrived message => ChatText.Message(message.Sent, message.From, TerminalSafe.Clean(message.Text)),
                    DeliveryUpdated delivery => $"[{ChatText.Time(DateTimeOffset.Now)}] message {delivery.Id}: {ChatText.State(delivery.State)}{(delivery.Detail is null ? "" : " — " + delivery.Detail)}",
                    IdentityChanged change => ChatText.IdentityNotice(change),
                    ChatNotice notice => "! " + notice.Text,
                    ConnectionChanged connection => $"[{ChatText.Time(DateTimeOffset.Now)}] {(connection.Connected ? "connected" : "disconnected")}: {connection.Detail}",
                    _ => null,
                };
                if (line is not null)
                {
                    view.PrintAbove(line);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Leaving the chat.
        }
        catch (Exception failure)
        {
            view.PrintAbove("! receiving stopped: " + ErrorTranslator.Translate(failure, cancellationToken).Message);
        }
    }
}
