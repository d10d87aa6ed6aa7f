namespace Parley.Client;

/// <summary>Tunables of a <see cref="ParleyClient"/>. The defaults suit interactive use.</summary>
public sealed class ParleyClientOptions
{
    /// <summary>
    /// The clock for message timestamps, key rotation and the grace period (tests pass a manual one). Network
    /// waits (reconnect backoff, Retry-After, timeouts) use real time.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>One-time EC and Kyber prekeys kept on the relay: replenished whenever fewer remain. Default 100.</summary>
    public int MinOneTimePreKeys { get; init; } = 100;

    /// <summary>Age after which the signed prekey and the last-resort Kyber prekey are replaced. Default 7 days.</summary>
    public TimeSpan SignedPreKeyRotation { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long replaced signed and last-resort prekeys stay usable, so PreKey messages already in flight still
    /// decrypt. Default 30 days.
    /// </summary>
    public TimeSpan OldPreKeyGracePeriod { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Timeout of each relay HTTP request. Default 30 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>First reconnect delay of the receive loop; doubles per failure up to <see cref="ReconnectMaxDelay"/>, with jitter.</summary>
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest reconnect delay of the receive loop. Default 30 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>WebSocket keep-alive ping interval. Default 15 s.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Longest wait honoured for a relay's 429 <c>Retry-After</c> before giving up with <see cref="ParleyErrorCode.RateLimited"/>. Default 10 s.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// While <see cref="ParleyClient.ReceiveAsync"/> runs, key upkeep (one-time prekey replenishment, signed and
    /// last-resort prekey rotation) runs again this often, besides on every connect: a chat left open for days keeps
    /// its prekeys topped up and rotated. Default 1 hour.
    /// </summary>
    public TimeSpan KeyUpkeepInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Run key upkeep and an outbox flush in the background right after <see cref="ParleyClient.OpenAsync"/>. Default true.</summary>
    public bool BackgroundMaintenance { get; init; } = true;
}
