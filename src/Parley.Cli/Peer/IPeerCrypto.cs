using Parley.Cli.Chat;

namespace Parley.Cli.Peer;

/// <summary>
/// The Signal-protocol side of direct peer mode, kept apart from the HTTP transport: bundles, session set-up,
/// encryption and decryption against the profile's stores. Only ciphertext and public keys leave it.
/// </summary>
internal interface IPeerCrypto
{
    /// <summary>Our username.</summary>
    string OwnName { get; }

    /// <summary>A fresh prekey bundle of ours (public keys and signatures only), serialized for the wire.</summary>
    Task<byte[]> CreateBundleAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Checks the peer's bundle (signatures) and sets up a session with it. Returns the identity change it met
    /// (the peer, unverified, came with a new identity key, which was accepted), else null. A verified peer's
    /// changed key is refused with <see cref="ExitCodes.IdentityChanged"/>.
    /// </summary>
    Task<IdentityChanged?> AcceptBundleAsync(string peerName, byte[] bundle, CancellationToken cancellationToken);

    /// <summary>Encrypts one text message for the peer; returns its id and the Signal ciphertext.</summary>
    Task<(string Id, PeerCiphertext Ciphertext)> EncryptAsync(string peerName, string text, CancellationToken cancellationToken);

    /// <summary>
    /// Decrypts and stores one message from the peer. Returns what to show, in order: an identity change met on
    /// the way (<see cref="IdentityChanged"/>), the message (<see cref="MessageArrived"/>; none for a duplicate
    /// already shown), or a <see cref="ChatNotice"/> when it could not be decrypted.
    /// </summary>
    Task<IReadOnlyList<ChatEvent>> DecryptAsync(string peerName, PeerCiphertext ciphertext, CancellationToken cancellationToken);

    /// <summary>Public keys and the safety number (the peer part empty when not known yet).</summary>
    Task<IdentitySummary> ShowAsync(string? peerName, CancellationToken cancellationToken);

    /// <summary>Marks the peer verified.</summary>
    Task<IdentitySummary> VerifyAsync(string peerName, CancellationToken cancellationToken);
}

/// <summary>One Signal message on the wire: its type (2 = SignalMessage, 3 = PreKeySignalMessage) and bytes.</summary>
internal sealed record PeerCiphertext(int Type, byte[] Body)
{
    public override string ToString() => $"PeerCiphertext {{ Type = {Type}, Length = {Body.Length} }}";
}
