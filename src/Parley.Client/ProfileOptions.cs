using Parley.Crypto.Passwords;

namespace Parley.Client;

/// <summary>What <see cref="ParleyClient.CreateProfileAsync"/> needs to create a profile.</summary>
public sealed class ProfileOptions
{
    /// <summary>The profile folder; created when absent. Must not already hold a profile.</summary>
    public required string Directory { get; init; }

    /// <summary>The passphrase that encrypts the profile at rest. Required, at least one character.</summary>
    public required string Passphrase { get; init; }

    /// <summary>Our username: on the relay, and the name peers see in direct mode.</summary>
    public required string Username { get; init; }

    /// <summary>
    /// The relay to register with (e.g. <c>http://127.0.0.1:8080</c>). Null creates a peer-only profile that
    /// never talks to a relay (direct two-peer mode).
    /// </summary>
    public Uri? RelayUrl { get; init; }

    /// <summary>
    /// Argon2id work factors for the passphrase. The default is libsodium's interactive preset
    /// (2 passes, 64 MiB); the values are stored in the profile, so they can be raised later.
    /// </summary>
    public Argon2idCost PassphraseCost { get; init; } = Argon2idCost.Interactive;
}
