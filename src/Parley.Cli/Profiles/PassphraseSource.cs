using Parley.Cli.Console;

namespace Parley.Cli.Profiles;

/// <summary>
/// The profile passphrase: <c>PARLEY_PASSPHRASE</c>, else a prompt on the terminal that does not echo.
/// Never printed, never logged.
/// </summary>
internal static class PassphraseSource
{
    public const string Variable = "PARLEY_PASSPHRASE";

    /// <summary>The passphrase of an existing profile.</summary>
    public static string ForExisting(IConsoleUi ui, string profile)
    {
        ArgumentNullException.ThrowIfNull(ui);
        var fromEnvironment = ui.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        RequireTerminal(ui);
        return ui.ReadSecret($"Passphrase for {profile}: ")
            ?? throw new CliException(ExitCodes.Passphrase, "no passphrase given");
    }

    /// <summary>A passphrase for a new profile: asked twice on a terminal.</summary>
    public static string ForNew(IConsoleUi ui, string profile)
    {
        ArgumentNullException.ThrowIfNull(ui);
        var fromEnvironment = ui.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        RequireTerminal(ui);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var first = ui.ReadSecret($"New passphrase for {profile}: ")
                ?? throw new CliException(ExitCodes.Passphrase, "no passphrase given");
            if (first.Length == 0)
            {
                ui.Error.WriteLine("The passphrase must not be empty.");
                continue;
            }

            var second = ui.ReadSecret("Repeat it: ")
                ?? throw new CliException(ExitCodes.Passphrase, "no passphrase given");
            if (string.Equals(first, second, StringComparison.Ordinal))
            {
                return first;
            }

            ui.Error.WriteLine("The two entries differ; try again.");
        }

        throw new CliException(ExitCodes.Passphrase, "the passphrase entries did not match");
    }

    private static void RequireTerminal(IConsoleUi ui)
    {
        if (!ui.IsInputTerminal)
        {
            throw new CliException(
                ExitCodes.Passphrase,
                $"no passphrase: stdin is not a terminal, so set {Variable} (or run the command in a terminal to be asked)");
        }
    }
}
