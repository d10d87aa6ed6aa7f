using Parley.Cli.Chat;

namespace Parley.Cli.Tests;

public sealed class LineEditorTests
{
    private static ConsoleKeyInfo Char(char c) => new(c, default, false, false, false);

    private static ConsoleKeyInfo Key(ConsoleKey key, bool control = false, char c = '\0') => new(c, key, false, false, control);

    private static LineEditor Typed(string text)
    {
        var editor = new LineEditor();
        foreach (var c in text)
        {
            editor.Apply(Char(c));
        }

        return editor;
    }

    [Fact]
    public void Typing_inserts_at_the_cursor_and_arrows_home_end_move_it()
    {
        var editor = Typed("helo");
        editor.Apply(Key(ConsoleKey.LeftArrow));
        editor.Apply(Char('l'));
        Assert.Equal("hello", editor.Text);
        editor.Apply(Key(ConsoleKey.Home));
        editor.Apply(Char('>'));
        editor.Apply(Key(ConsoleKey.End));
        editor.Apply(Char('!'));
        Assert.Equal(">hello!", editor.Text);
        Assert.Equal(7, editor.Cursor);
    }

    [Fact]
    public void Backspace_and_delete_remove_around_the_cursor()
    {
        var editor = Typed("abcd");
        editor.Apply(Key(ConsoleKey.Backspace));
        Assert.Equal("abc", editor.Text);
        editor.Apply(Key(ConsoleKey.Home));
        editor.Apply(Key(ConsoleKey.Delete));
        Assert.Equal("bc", editor.Text);
        Assert.Equal(EditOutcome.Unchanged, editor.Apply(Key(ConsoleKey.Backspace)));
    }

    [Fact]
    public void Enter_submits_ctrl_c_interrupts_ctrl_d_ends_only_an_empty_line()
    {
        var editor = Typed("hi");
        Assert.Equal(EditOutcome.Submit, editor.Apply(Key(ConsoleKey.Enter)));
        Assert.Equal("hi", editor.Take());
        Assert.Equal("", editor.Text);
        Assert.Equal(EditOutcome.Interrupt, editor.Apply(Key(ConsoleKey.C, control: true)));
        Assert.Equal(EditOutcome.EndOfInput, editor.Apply(Key(ConsoleKey.D, control: true)));
        editor.Apply(Char('x'));
        editor.Apply(Key(ConsoleKey.Home));
        Assert.Equal(EditOutcome.Changed, editor.Apply(Key(ConsoleKey.D, control: true)));
        Assert.Equal("", editor.Text);
    }

    [Fact]
    public void Control_characters_are_not_inserted()
    {
        var editor = Typed("a\u001b[31mb");
        Assert.Equal("a[31mb", editor.Text);
    }

    [Fact]
    public void Render_clears_the_line_draws_prompt_and_buffer_and_places_the_cursor()
    {
        var editor = Typed("hello");
        editor.Apply(Key(ConsoleKey.LeftArrow));
        Assert.Equal("\r\u001b[2K> hello\r\u001b[6C", editor.Render("> ", 80));
    }

    [Fact]
    public void Render_scrolls_a_long_line_so_the_cursor_stays_visible()
    {
        var editor = Typed(new string('x', 100) + "END");
        var drawn = editor.Render("> ", 40);
        Assert.EndsWith("END\r\u001b[38C", drawn, StringComparison.Ordinal);
    }
}
