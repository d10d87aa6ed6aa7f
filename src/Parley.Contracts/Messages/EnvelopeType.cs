namespace Parley.Contracts.Messages;

/// <summary>
/// What an envelope's content is, using libsignal's ciphertext message type numbers. The relay routes
/// only the types listed here; new ones are added to this enum (and to the relay) as the protocol grows.
/// </summary>
public enum EnvelopeType
{
    /// <summary>A Double Ratchet SignalMessage (libsignal type 2).</summary>
    Whisper = 2,

    /// <summary>A PreKeySignalMessage that starts a session (libsignal type 3).</summary>
    PreKey = 3,

    /// <summary>A SenderKeyMessage for groups (libsignal type 7).</summary>
    SenderKey = 7,

    /// <summary>A PlaintextContent message, such as a decryption-error notice (libsignal type 8).</summary>
    Plaintext = 8,
}
