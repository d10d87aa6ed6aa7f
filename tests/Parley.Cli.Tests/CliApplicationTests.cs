using Parley.Cli.Commands;
using Parley.Cli.Profiles;
using Parley.Cli.Tests.Support;
using Parley.Client;

namespace Parley.Cli.Tests;

public sealed class CliApplicationTests
{
    [Fact]
    public async Task Global_options_may_stand_before_the_verb()
    {
        var ui = new TestConsoleUi();
        var dir = Path.Combine(Path.GetTempPath(), "parley-cli-test-" + Guid.NewGuid().ToString("N"));
        var exit = await CommandCatalog.CreateApplication().RunAsync(["--profile", dir, "--json", "show"], ui, CancellationToken.None);
        Assert.Equal(ExitCodes.Profile, exit);
        Assert.Contains($"no profile in {dir}", ui.ErrorOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overview_help_lists_every_verb()
    {
        var ui = new TestConsoleUi();
        Assert.Equal(ExitCodes.Success, await CommandCatalog.CreateApplication().RunAsync(["--help"], ui, CancellationToken.None));
        foreach (var verb in new[] { "server", "interop", "init", "send", "receive", "chat", "show", "verify", "contacts", "peer", "unregister" })
        {
            Assert.Contains("  " + verb, ui.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Every_verb_in_the_catalog_answers_help_with_an_examples_section()
    {
        var application = CommandCatalog.CreateApplication();
        Assert.NotEmpty(application.Commands);
        foreach (var verb in application.Commands.Select(c => c.Spec.Name))
        {
            var ui = new TestConsoleUi();
            Assert.Equal(ExitCodes.Success, await application.RunAsync([verb, "--help"], ui, CancellationToken.None));
            var lines = ui.Output.ReplaceLineEndings("\n").Split('\n');
            var examples = Array.FindIndex(lines, l => l.TrimEnd() == "Examples:");
            Assert.True(examples >= 0, $"parley {verb} --help has no Examples: section:\n{ui.Output}");
            Assert.Matches("^  (?=\\S).*parley", lines[examples + 1]);
        }
    }

    [Fact]
    public async Task No_arguments_print_the_overview_on_stderr_with_exit_2()
    {
        var ui = new TestConsoleUi();
        Assert.Equal(ExitCodes.Usage, await CommandCatalog.CreateApplication().RunAsync([], ui, CancellationToken.None));
        Assert.Contains("Verbs:", ui.ErrorOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_terminal_and_without_the_variable_the_passphrase_error_says_what_to_set()
    {
        var failure = Assert.Throws<CliException>(() => PassphraseSource.ForExisting(new TestConsoleUi(), "/p"));
        Assert.Equal(ExitCodes.Passphrase, failure.ExitCode);
        Assert.Contains("PARLEY_PASSPHRASE", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_passphrase_is_asked_twice_on_a_terminal_and_never_echoed()
    {
        var ui = new TestConsoleUi(terminal: true);
        foreach (var entry in new[] { "one", "two", "same", "same" })
        {
            ui.Secrets.Enqueue(entry);
        }

        Assert.Equal("same", PassphraseSource.ForNew(ui, "/p"));
        Assert.Equal(4, ui.SecretPrompts.Count);
        Assert.DoesNotContain("same", ui.ErrorOutput + ui.Output, StringComparison.Ordinal);
        Assert.Contains("differ", ui.ErrorOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void The_environment_variable_wins_over_the_prompt()
    {
        var ui = new TestConsoleUi(terminal: true);
        ui.SetEnvironment(PassphraseSource.Variable, "from env");
        Assert.Equal("from env", PassphraseSource.ForExisting(ui, "/p"));
        Assert.Empty(ui.SecretPrompts);
    }

    [Fact]
    public void Profile_folder_comes_from_the_option_then_PARLEY_HOME_then_the_data_folder()
    {
        Assert.Equal(Path.GetFullPath("/x/opt"), ProfileLocator.Resolve("/x/opt", _ => "/x/home"));
        Assert.Equal(Path.GetFullPath("/x/home"), ProfileLocator.Resolve(null, _ => "/x/home"));
        Assert.EndsWith(Path.Combine("", "parley"), ProfileLocator.Resolve(null, _ => null), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ParleyErrorCode.RelayUnreachable, ExitCodes.Unreachable, "relay unreachable")]
    [InlineData(ParleyErrorCode.WrongPassphrase, ExitCodes.Passphrase, "wrong passphrase")]
    [InlineData(ParleyErrorCode.NoSuchUser, ExitCodes.NotFound, "no such user")]
    [InlineData(ParleyErrorCode.IdentityChanged, ExitCodes.IdentityChanged, "parley verify")]
    [InlineData(ParleyErrorCode.UsernameTaken, ExitCodes.Rejected, "")]
    [InlineData(ParleyErrorCode.ProfileNotFound, ExitCodes.Profile, "")]
    public void Sdk_errors_map_to_documented_exit_codes_and_actionable_lines(ParleyErrorCode code, int exitCode, string says)
    {
        var (exit, message) = ErrorTranslator.FromSdk(new ParleyException(code, "Something happened."));
        Assert.Equal(exitCode, exit);
        Assert.Contains(says, message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }
}
