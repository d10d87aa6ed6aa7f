namespace Parley.Crypto.Passwords;

/// <summary>Argon2id work factors: passes over memory (libsodium's "opslimit") and memory in bytes ("memlimit").</summary>
/// <param name="OpsLimit">Number of passes, at least 1.</param>
/// <param name="MemLimitBytes">Memory to fill, at least 8 KiB; libsodium uses it in whole KiB.</param>
public readonly record struct Argon2idCost(ulong OpsLimit, nuint MemLimitBytes)
{
    /// <summary>libsodium's INTERACTIVE preset (2 passes, 64 MiB): for keys derived while a user waits, e.g. unlocking a profile.</summary>
    public static Argon2idCost Interactive { get; } = new(2, 64 * 1024 * 1024);

    /// <summary>libsodium's MODERATE preset (3 passes, 256 MiB): for secrets that change rarely and deserve more work.</summary>
    public static Argon2idCost Moderate { get; } = new(3, 256 * 1024 * 1024);
}
