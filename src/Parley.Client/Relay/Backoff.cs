using System.Security.Cryptography;

namespace Parley.Client.Relay;

/// <summary>Exponential reconnect delays with jitter: min·2^attempt, capped, then scaled by a random factor in [0.5, 1].</summary>
internal static class Backoff
{
    public static TimeSpan Delay(int attempt, TimeSpan min, TimeSpan max)
    {
        var exponent = Math.Min(attempt, 20);
        var ceiling = Math.Min(max.TotalMilliseconds, min.TotalMilliseconds * Math.Pow(2, exponent));
        var jitter = 0.5 + (RandomNumberGenerator.GetInt32(0, 1001) / 2000.0);
        return TimeSpan.FromMilliseconds(ceiling * jitter);
    }
}
