using Parley.Cli.Profiles;
using Parley.Client;

namespace Parley.Cli.Commands;

/// <summary>Opening and creating profiles with the passphrase rules and one-line errors.</summary>
internal static class ProfileAccess
{
    /// <summary>Opens the existing profile of the context (asking for the passphrase if needed).</summary>
    public static async Task<ParleyClient> OpenAsync(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var directory = context.ProfilePath;
        if (!ParleyClient.ProfileExists(directory))
        {
            throw new CliException(
                ExitCodes.Profile,
                $"no profile in {directory}: create one with `parley init --server URL --name NAME` (or pass --profile DIR / set PARLEY_HOME)");
        }

        var passphrase = PassphraseSource.ForExisting(context.Ui, directory);
        using (context.Progress("Opening the profile"))
        {
            return await ParleyClient.OpenAsync(directory, passphrase, cancellationToken: context.CancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Creates a profile (registering with <paramref name="relay"/> unless null).</summary>
    public static async Task<ParleyClient> CreateAsync(CommandContext context, string name, Uri? relay)
    {
        ArgumentNullException.ThrowIfNull(context);
        var directory = context.ProfilePath;
        if (ParleyClient.ProfileExists(directory))
        {
            throw new CliException(
                ExitCodes.Profile,
                $"a profile already exists in {directory}; use another --profile DIR (or PARLEY_HOME) for a second identity");
        }

        var passphrase = PassphraseSource.ForNew(context.Ui, directory);
        using (context.Progress(relay is null ? "Creating keys" : $"Creating keys and registering with {relay}"))
        {
            return await ParleyClient.CreateProfileAsync(
                new ProfileOptions { Directory = directory, Passphrase = passphrase, Username = name, RelayUrl = relay },
                cancellationToken: context.CancellationToken).ConfigureAwait(false);
        }
    }
}
