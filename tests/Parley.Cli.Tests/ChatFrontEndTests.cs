using System.Text.Json.Nodes;
using Parley.Cli.Chat;
using Parley.Cli.Tests.Support;
using Parley.Testing;

namespace Parley.Cli.Tests;

public sealed class ChatFrontEndTests
{
    [Fact]
    public async Task Line_chat_sends_each_input_line_runs_commands_and_flushes_at_end_of_input()
    {
        var ui = new TestConsoleUi("first line\n\n/verify\n//slash kept\nlast line\n");
        var session = new ScriptedChatSession();
        var exit = await new LineChat(ui, session, json: false).RunAsync(CancellationToken.None);
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(["first line", "/slash kept", "last line"], session.Sent);
        Assert.True(session.Verified);
        Assert.Equal(1, session.Flushes);
        Assert.Contains("bob is verified", ui.ErrorOutput, StringComparison.Ordinal);
        Assert.Equal("", ui.Output);
    }

    [Fact]
    public async Task Line_chat_prints_received_messages_as_receive_json_objects()
    {
        var ui = new TestConsoleUi { In = new BlockingReader() };
        var session = new ScriptedChatSession();
        using var stop = new CancellationTokenSource();
        var run = new LineChat(ui, session, json: true).RunAsync(stop.Token);
        var sent = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        session.Push(new MessageArrived("bob", "hi ✓ \u001b[2J", "id-1", sent));
        await Eventually.TrueAsync(() => ui.Output.Length > 0, TimeSpan.FromSeconds(10), "a line on stdout");
        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Interrupted, await run);
        var json = JsonNode.Parse(ui.Output.Trim())!.AsObject();
        Assert.Equal(["from", "text", "id", "sent"], json.Select(p => p.Key));
        Assert.Equal("hi ✓ \u001b[2J", json["text"]!.GetValue<string>());
        Assert.Equal("2026-01-02T03:04:05.0000000+00:00", json["sent"]!.GetValue<string>());
    }

    [Fact]
    public async Task Terminal_chat_keeps_the_typed_text_while_a_message_arrives_then_sends_it()
    {
        var ui = new TestConsoleUi(terminal: true);
        var session = new ScriptedChatSession();
        var run = new TerminalChat(ui, session).RunAsync(CancellationToken.None);
        ui.Type("half");
        await Eventually.TrueAsync(() => ui.Output.Contains("> half", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the partial input drawn");
        session.Push(new MessageArrived("bob", "hello \u001b]0;x", "id-1", DateTimeOffset.Now));
        await Eventually.TrueAsync(() => ui.Output.Contains("bob: hello", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the message drawn");
        var output = ui.Output;
        var message = output.LastIndexOf("bob: hello", StringComparison.Ordinal);
        Assert.Contains("> half", output[message..], StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b]0;x", output, StringComparison.Ordinal);

        ui.Type(" done\r");
        await Eventually.TrueAsync(() => session.Sent.Count == 1, TimeSpan.FromSeconds(10), "the line sent");
        Assert.Equal("half done", session.Sent[0]);
        session.Push(new Chat.IdentityChanged("bob", new string('7', 60), WasVerified: true));
        await Eventually.TrueAsync(() => ui.Output.Contains("safety number has changed", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the identity notice");
        Assert.Contains("Sending is blocked", ui.Output, StringComparison.Ordinal);

        ui.Type("/quit\r");
        Assert.Equal(ExitCodes.Success, await run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Terminal_chat_ends_on_ctrl_d_with_an_empty_line()
    {
        var ui = new TestConsoleUi(terminal: true);
        var run = new TerminalChat(ui, new ScriptedChatSession()).RunAsync(CancellationToken.None);
        ui.Press(ConsoleKey.D, '\u0004', control: true);
        Assert.Equal(ExitCodes.Success, await run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    /// <summary>stdin that never ends (until cancelled).</summary>
    private sealed class BlockingReader : TextReader
    {
        public override async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return null;
        }
    }
}
