using System.Security.Cryptography;

namespace Parley.Protocol;

/// <summary>
/// The clock and random source protocol operations use. Pass a custom one in tests for deterministic keys and
/// controlled time; everything else uses <see cref="System"/>.
/// </summary>
/// <remarks>
/// The random source draws base keys, ratchet keys, sender-key chain ids, chain keys and signing keys.
/// XEdDSA signature randomness and Kyber encapsulation draw from the OS generator directly.
/// </remarks>
public sealed class ProtocolEnvironment
{
    /// <summary>Creates an environment.</summary>
    public ProtocolEnvironment(TimeProvider time, RandomNumberGenerator random)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(random);
        Time = time;
        Random = random;
    }

    /// <summary>The system clock and the OS CSPRNG.</summary>
    public static ProtocolEnvironment System { get; } = new(TimeProvider.System, RandomNumberGenerator.Create());

    /// <summary>The clock (pending pre-key timestamps, unacknowledged-session expiry).</summary>
    public TimeProvider Time { get; }

    /// <summary>The random source for generated keys and ids.</summary>
    public RandomNumberGenerator Random { get; }
}
