namespace Parley.Cli.Chat;

/// <summary>
/// One conversation with one peer, whatever carries it (the relay through the SDK, or a direct peer link).
/// The chat front-ends (<see cref="TerminalChat"/>, <see cref="LineChat"/>) work only through this.
/// </summary>
internal interface IChatSession
{
    /// <summary>Our own name.</summary>
    string OwnName { get; }

    /// <summary>The peer's name (may become known only after the peer connects, in peer mode).</summary>
    string PeerName { get; }

    /// <summary>Encrypts and sends (or queues) one message.</summary>
    Task<SentMessage> SendAsync(string text, CancellationToken cancellationToken);

    /// <summary>Incoming messages and state changes, until cancelled.</summary>
    IAsyncEnumerable<ChatEvent> ReadEventsAsync(CancellationToken cancellationToken);

    /// <summary>Public identity keys and the safety number: never a secret.</summary>
    Task<IdentitySummary> ShowAsync(CancellationToken cancellationToken);

    /// <summary>Marks the peer's current identity key as verified (after comparing safety numbers).</summary>
    Task<IdentitySummary> VerifyAsync(CancellationToken cancellationToken);

    /// <summary>Waits (bounded by the token) until messages queued while offline have left.</summary>
    Task FlushAsync(CancellationToken cancellationToken);
}
