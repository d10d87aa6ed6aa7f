namespace Parley.Client;

/// <summary>
/// The stable reason of a <see cref="ParleyException"/>. Callers branch on these, never on messages.
/// Values are never renumbered; new ones are added at the end.
/// </summary>
public enum ParleyErrorCode
{
    /// <summary>The relay could not be reached (connection refused, DNS, timeout). Transient.</summary>
    RelayUnreachable = 1,

    /// <summary>The relay failed or is unavailable (5xx). Transient.</summary>
    RelayUnavailable = 2,

    /// <summary>The relay asked us to slow down (429). Transient.</summary>
    RateLimited = 3,

    /// <summary>The relay refused this device's credentials: the account or device was deleted.</summary>
    Unauthorized = 4,

    /// <summary>No account with that username exists on the relay.</summary>
    NoSuchUser = 5,

    /// <summary>The username is already registered on the relay.</summary>
    UsernameTaken = 6,

    /// <summary>The username breaks the naming rules (3–32 of <c>[a-z0-9_]</c>, starting with a letter).</summary>
    InvalidUsername = 7,

    /// <summary>The passphrase does not open this profile.</summary>
    WrongPassphrase = 8,

    /// <summary>The profile store failed an integrity check (modified, damaged or from another profile); nothing was loaded.</summary>
    StoreTampered = 9,

    /// <summary>A profile already exists in that folder.</summary>
    ProfileExists = 10,

    /// <summary>No profile exists in that folder.</summary>
    ProfileNotFound = 11,

    /// <summary>
    /// The identity key of a verified contact changed; sending is refused until the user verifies the new
    /// safety number (or explicitly accepts the change).
    /// </summary>
    IdentityChanged = 12,

    /// <summary>The message text is empty or larger than <see cref="ParleyClient.MaxTextBytes"/>.</summary>
    MessageTooLarge = 13,

    /// <summary>A recipient's mailbox on the relay is full. Transient.</summary>
    MailboxFull = 14,

    /// <summary>The relay rejected a request as invalid (a client or version mismatch).</summary>
    RelayRejected = 15,

    /// <summary>The profile has no relay (a peer-only profile), so relay operations are unavailable.</summary>
    NotRegistered = 16,

    /// <summary>A peer's bundle or message could not be used (bad signature, malformed, undecryptable).</summary>
    InvalidPeerData = 17,

    /// <summary>Another receive loop is already running on this client.</summary>
    AlreadyReceiving = 18,

    /// <summary>The profile was written by a newer Parley version and cannot be opened by this one.</summary>
    UnsupportedProfileVersion = 19,

    /// <summary>The recipient has no device that can receive messages.</summary>
    NoDevices = 20,

    /// <summary>No keys are known for that contact yet (no message was exchanged and no bundle accepted).</summary>
    UnknownContact = 21,
}
