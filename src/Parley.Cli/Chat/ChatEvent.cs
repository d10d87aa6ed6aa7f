namespace Parley.Cli.Chat;

/// <summary>Something the chat shows: a message, a delivery update, an identity change, a connection change.</summary>
internal abstract record ChatEvent;

/// <summary>A decrypted incoming message.</summary>
internal sealed record MessageArrived(string From, string Text, string Id, DateTimeOffset Sent) : ChatEvent;

/// <summary>A message we sent changed state (queued → sent, or failed).</summary>
internal sealed record DeliveryUpdated(string Id, DeliveryState State, string? Detail = null) : ChatEvent;

/// <summary>The peer's identity key (and so the safety number) changed.</summary>
internal sealed record IdentityChanged(string Name, string SafetyNumber, bool WasVerified) : ChatEvent;

/// <summary>The link to the relay or peer came up or went down.</summary>
internal sealed record ConnectionChanged(bool Connected, string Detail) : ChatEvent;

/// <summary>Something the user should know that is not a message (e.g. an undecryptable one).</summary>
internal sealed record ChatNotice(string Text) : ChatEvent;

/// <summary>Where an outgoing message is.</summary>
internal enum DeliveryState
{
    /// <summary>Kept in the local outbox: the relay or peer is unreachable; sent when it returns.</summary>
    Queued,

    /// <summary>Accepted by the relay (or the peer).</summary>
    Sent,

    /// <summary>Gave up; the detail says why.</summary>
    Failed,
}

/// <summary>The result of sending: the message id and where it is now.</summary>
internal sealed record SentMessage(string Id, DeliveryState State, DateTimeOffset Sent);

/// <summary>Public facts about a conversation's identities; never a private key or a shared secret.</summary>
internal sealed record IdentitySummary(
    string OwnName,
    string OwnIdentityKey,
    string PeerName,
    string? PeerIdentityKey,
    string? SafetyNumber,
    bool Verified);
