namespace Parley.Protocol;

/// <summary>Envelope-level message type numbers (libsignal's <c>CiphertextMessageType</c>).</summary>
public enum CiphertextMessageType
{
    /// <summary>A <see cref="Messages.SignalMessage"/> on an established session.</summary>
    Whisper = 2,

    /// <summary>A <see cref="Messages.PreKeySignalMessage"/> that can start a session.</summary>
    PreKey = 3,

    /// <summary>A <see cref="Messages.SenderKeyMessage"/> (group message).</summary>
    SenderKey = 7,

    /// <summary>Unencrypted content (decryption-error retry requests).</summary>
    Plaintext = 8,
}
