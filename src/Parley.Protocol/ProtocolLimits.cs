namespace Parley.Protocol;

/// <summary>
/// The protocol's fixed limits, identical to libsignal's so that both sides accept and reject the same histories
/// (PROTOCOL.md §6.3, §8).
/// </summary>
public static class ProtocolLimits
{
    /// <summary>Skipped message keys kept per receiving chain (and per sender-key state).</summary>
    /// <remarks>
    /// Out-of-order delivery needs the keys of messages not yet seen, but every stored key is a secret that
    /// weakens forward secrecy and costs record space. 2,000 covers realistic reordering; beyond it the oldest key
    /// is dropped and that late message becomes undecryptable (reported as a duplicate).
    /// </remarks>
    public const int MaxMessageKeys = 2_000;

    /// <summary>How far ahead of a chain a message counter (or sender-key iteration) may be.</summary>
    /// <remarks>
    /// A forged or corrupt counter must not make the receiver derive millions of keys: each skipped index costs an
    /// HMAC and, up to <see cref="MaxMessageKeys"/>, storage. 25,000 bounds that work per message while allowing long
    /// offline gaps. Note-to-self sessions (same identity on both ends) are exempt, as in libsignal.
    /// </remarks>
    public const int MaxForwardJumps = 25_000;

    /// <summary>Receiving chains kept per session state.</summary>
    /// <remarks>
    /// Each DH ratchet turn adds a receiving chain; keeping the last few lets late messages from the previous turns
    /// decrypt. Older chains (and their skipped keys) are dropped so a record cannot grow without bound.
    /// </remarks>
    public const int MaxReceiverChains = 5;

    /// <summary>Archived (previous) session states kept per session record.</summary>
    /// <remarks>
    /// Simultaneous initiation and re-installs leave several valid sessions with one peer; messages in flight on an
    /// older one still decrypt while it is archived. 40 keeps that window wide while bounding record size and the
    /// cost of trying every state on a failed decrypt.
    /// </remarks>
    public const int MaxArchivedStates = 40;

    /// <summary>Sender-key states kept per (sender, distribution id).</summary>
    /// <remarks>
    /// A sender who re-keys a group (new chain id) may still have messages in flight on the old chain; a few old
    /// states keep those decryptable without letting a sender grow the record without bound.
    /// </remarks>
    public const int MaxSenderKeyStates = 5;

    /// <summary>How long a session may stay unacknowledged (still sending PreKey messages) before it stops sending.</summary>
    /// <remarks>
    /// PreKey messages repeat the pre-key ids and Kyber ciphertext of one handshake. If the peer never answers, the
    /// pre-keys it used are probably gone (rotated, or the peer re-installed), so after 30 days the sender should fetch
    /// a fresh bundle rather than keep sending messages that cannot start a session.
    /// </remarks>
    public static readonly TimeSpan MaxUnacknowledgedSessionAge = TimeSpan.FromDays(30);
}
