using Parley.Cli.CommandLine;

namespace Parley.Cli.Tests;

public sealed class ArgumentParserTests
{
    private static readonly CommandSpec Send = new()
    {
        Name = "send",
        Summary = "send",
        Arguments = [new("NAME", "who"), new("TEXT", "what", Required: false, Variadic: true)],
        Options = [new("--wait", "SECONDS", "how long", "-w")],
    };

    [Fact]
    public void Options_values_flags_and_variadic_text_are_parsed()
    {
        var parsed = ArgumentParser.Parse(Send, ["bob", "--wait=5", "hello", "--json", "world", "--profile", "/tmp/p"]);
        Assert.Equal("bob", parsed.Positional(0));
        Assert.Equal("hello world", parsed.Rest(1));
        Assert.Equal(5, parsed.Int("--wait", 0, 0, 10));
        Assert.True(parsed.Has("--json"));
        Assert.Equal("/tmp/p", parsed.Value("--profile"));
    }

    [Fact]
    public void Double_dash_ends_options_so_text_may_start_with_a_dash()
    {
        var parsed = ArgumentParser.Parse(Send, ["bob", "--", "--not-an-option", "-x"]);
        Assert.Equal("--not-an-option -x", parsed.Rest(1));
    }

    [Theory]
    [InlineData(new[] { "bob", "--nope" }, "unknown option '--nope'")]
    [InlineData(new string[0], "missing NAME")]
    [InlineData(new[] { "bob", "--wait" }, "--wait needs a value")]
    [InlineData(new[] { "bob", "--json=1" }, "--json takes no value")]
    public void Bad_command_lines_are_usage_errors_that_say_what_is_wrong(string[] words, string expected)
    {
        var failure = Assert.Throws<CliException>(() => ArgumentParser.Parse(Send, words));
        Assert.Equal(ExitCodes.Usage, failure.ExitCode);
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_range_numbers_are_usage_errors()
    {
        var parsed = ArgumentParser.Parse(Send, ["bob", "-w", "99"]);
        var failure = Assert.Throws<CliException>(() => parsed.Int("--wait", 0, 0, 10));
        Assert.Equal(ExitCodes.Usage, failure.ExitCode);
    }

    [Fact]
    public void Help_skips_the_required_argument_check()
    {
        var parsed = ArgumentParser.Parse(Send, ["--help"]);
        Assert.True(parsed.Has("--help"));
    }

    [Fact]
    public void Help_lists_arguments_options_and_examples()
    {
        var spec = new CommandSpec
        {
            Name = "send",
            Summary = "s",
            Arguments = Send.Arguments,
            Options = Send.Options,
            Examples = [("parley send bob hi", "says hi")],
        };
        var help = HelpWriter.ForVerb(spec);
        Assert.Contains("Usage: parley send [options] NAME [TEXT...]", help, StringComparison.Ordinal);
        Assert.Contains("-w, --wait SECONDS", help, StringComparison.Ordinal);
        Assert.Contains("--profile DIR", help, StringComparison.Ordinal);
        Assert.Contains("parley send bob hi", help, StringComparison.Ordinal);
    }
}
