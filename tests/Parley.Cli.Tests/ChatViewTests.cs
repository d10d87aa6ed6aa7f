using Parley.Cli.Chat;

namespace Parley.Cli.Tests;

public sealed class ChatViewTests
{
    [Fact]
    public void A_printed_line_appears_above_and_the_partial_input_is_redrawn_after_it()
    {
        var terminal = new StringWriter();
        var view = new ChatView(terminal, new LineEditor(), "> ", () => 80);
        foreach (var c in "half typ")
        {
            view.Apply(new ConsoleKeyInfo(c, default, false, false, false));
        }

        terminal.GetStringBuilder().Clear();
        view.PrintAbove("[12:00:00] bob: hi");
        Assert.Equal("\r\u001b[2K[12:00:00] bob: hi\r\n\r\u001b[2K> half typ\r\u001b[10C", terminal.ToString());
    }

    [Fact]
    public void Peer_text_cannot_inject_terminal_escape_sequences()
    {
        Assert.Equal("\uFFFD]0;owned\u0007".Replace("\u0007", "\uFFFD", StringComparison.Ordinal), TerminalSafe.Clean("\u001b]0;owned\u0007"));
        Assert.Equal("line1\nline2\tx", TerminalSafe.Clean("line1\nline2\tx"));
    }
}
