namespace Parley.Cli.Profiles;

/// <summary>Where a profile lives: <c>--profile DIR</c>, else <c>$PARLEY_HOME</c>, else the user's data folder.</summary>
internal static class ProfileLocator
{
    public const string HomeVariable = "PARLEY_HOME";

    public static string Resolve(string? option, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrWhiteSpace(option))
        {
            return Path.GetFullPath(option);
        }

        var home = environment(HomeVariable);
        if (!string.IsNullOrWhiteSpace(home))
        {
            return Path.GetFullPath(home);
        }

        // ~/.local/share on Linux ($XDG_DATA_HOME when set), %LOCALAPPDATA% on Windows, ~/Library/Application Support on macOS.
        var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(data))
        {
            throw new CliException(ExitCodes.Profile, "cannot find a data folder for the profile: pass --profile DIR or set PARLEY_HOME");
        }

        return Path.Combine(data, "parley");
    }
}
