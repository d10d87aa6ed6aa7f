namespace Parley.Cli;

/// <summary>
/// The exit codes of every <c>parley</c> verb. Stable: scripts depend on them, and docs/cli.md lists them.
/// </summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>Something unexpected failed (a bug or an environment problem); the message says what.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong: unknown verb or option, missing or malformed argument.</summary>
    public const int Usage = 2;

    /// <summary>The profile is missing, already exists, or cannot be read.</summary>
    public const int Profile = 3;

    /// <summary>The passphrase is wrong, or none could be obtained (no terminal and PARLEY_PASSPHRASE unset).</summary>
    public const int Passphrase = 4;

    /// <summary>The relay or the peer could not be reached; trying again later may work.</summary>
    public const int Unreachable = 5;

    /// <summary>No such user or contact.</summary>
    public const int NotFound = 6;

    /// <summary>A verified contact's identity key changed: sending is blocked until <c>parley verify NAME</c>.</summary>
    public const int IdentityChanged = 7;

    /// <summary>The relay or the peer refused the request (name taken, not authorised, over a limit, bad message).</summary>
    public const int Rejected = 8;

    /// <summary>Interrupted by Ctrl-C.</summary>
    public const int Interrupted = 130;
}
